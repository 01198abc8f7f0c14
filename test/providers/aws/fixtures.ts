/**
 * Fixtures in AWS's real wire format (test/fixtures/aws), served to the official SDK through a
 * strict request handler: each test names the Actions it expects; any other request fails it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EC2Client } from '@aws-sdk/client-ec2';

export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/aws');

export function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES_DIR, name), 'utf8');
}

/** An SDK client whose HTTP boundary answers `Action` with the fixture (status, file); anything else throws. */
export function fixtureClient(answers: Record<string, { status?: number; file: string }>): { client: EC2Client; seen: string[] } {
  const seen: string[] = [];
  const requestHandler = {
    async handle(req: { body?: unknown; query?: Record<string, unknown> }) {
      const action = new URLSearchParams(typeof req.body === 'string' ? req.body : '').get('Action') ?? String(req.query?.Action ?? '');
      seen.push(action);
      const a = answers[action];
      if (!a) throw new Error(`unexpected request: ${action || '(no Action)'}`);
      return {
        response: { statusCode: a.status ?? 200, reason: '', headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: new TextEncoder().encode(fixture(a.file)) },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const client = new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDFIXTURE', secretAccessKey: 'fixture-secret' }, requestHandler: requestHandler as never, maxAttempts: 1 });
  return { client, seen };
}
