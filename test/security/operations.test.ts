/**
 * Finding class 14: operational secrets and errors. An inline secret in a world-readable
 * agent.toml is refused exactly as a world-readable secret file is; the generated operator token
 * never reaches stdout (it is written to a 0600 file whose path is printed); a port already in
 * use is a user error (exit 2), not "a bug in ferry" (exit 70).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAgentConfig } from '../../src/agent/config.js';
import { ConfigError } from '../../src/agent/config-source.js';
import { loadAgentConfig } from '../../src/agent/config.js';
import { UserError } from '../../src/core/errors.js';
import { runServer } from '../../src/server/run.js';
import { runCli, sandbox } from '../cli/helpers.js';
import { Tally } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-ops-'));
const tally = new Tally('operations', 'agent+server');
after(() => console.log(tally.summary()));

const KEY = 'ab'.repeat(32);
const toml = (inline: boolean) => `[api]
endpoint = "http://127.0.0.1:9"
${inline ? `provider_secret_key = "${KEY}"` : `provider_secret_key_file = "${join(dir, 'key')}"`}

[provisioner]
type = "proxmox"

[provisioner.proxmox]
api_url = "https://pve:8006"
api_token_id = "root@pam!agent"
api_token_secret = "the-token-secret"
node = "pve1"
template_vmid = 9000
`;

describe('inline secrets in the agent configuration', () => {
  it('refuses them in a world-readable file, warns in a group-readable one, accepts them at 0600', async () => {
    writeFileSync(join(dir, 'key'), `${KEY}\n`, { mode: 0o644 });
    chmodSync(join(dir, 'key'), 0o644);
    const worldFile = join(dir, 'world.toml');
    writeFileSync(worldFile, toml(true));
    chmodSync(worldFile, 0o644);
    const world = await loadAgentConfig(worldFile, { cloudProviders: [] }).catch((e: unknown) => e);
    tally.record('inline secrets in a 0644 agent.toml', world instanceof ConfigError);
    assert.ok(world instanceof ConfigError);
    assert.match(world.message, /provider_secret_key: is a secret written inline .* accessible to every user/);
    assert.match(world.message, /api_token_secret: is a secret written inline/);

    const viaFile = join(dir, 'via-file.toml');
    writeFileSync(viaFile, toml(false).replace('api_token_secret = "the-token-secret"', `api_token_secret_file = "${join(dir, 'key')}"`), { mode: 0o600 });
    const refusedFile = await loadAgentConfig(viaFile, { cloudProviders: [] }).catch((e: unknown) => e);
    tally.record('a 0644 secret file', refusedFile instanceof ConfigError);

    const groupFile = join(dir, 'group.toml');
    writeFileSync(groupFile, toml(true));
    chmodSync(groupFile, 0o640);
    const group = await loadAgentConfig(groupFile, { cloudProviders: [] });
    assert.ok(group.warnings.some((w) => /written inline .* its group/.test(w)));

    const ownerFile = join(dir, 'owner.toml');
    writeFileSync(ownerFile, toml(true), { mode: 0o600 });
    chmodSync(ownerFile, 0o600);
    const owner = await loadAgentConfig(ownerFile, { cloudProviders: [] });
    assert.deepEqual(owner.warnings, []);
    // Parsed from text (no file mode), nothing to judge.
    assert.ok(parseAgentConfig(toml(true), { cloudProviders: [] }).api);
  });
});

describe('ferry server start-up', () => {
  it('writes a generated operator token to a 0600 file and prints only where it is', async () => {
    const lines: string[] = [];
    const tokenFile = join(dir, 'state', 'operator-token');
    const server = await runServer({ port: 0, databaseUrl: `sqlite:${join(dir, 'cp.db')}`, env: { HOME: dir }, operatorTokenFile: tokenFile, log: (l) => lines.push(l) });
    try {
      const token = readFileSync(tokenFile, 'utf8').trim();
      assert.equal(token, server.operatorToken);
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
      tally.record('generated operator token on stdout', !lines.join('\n').includes(token));
      assert.ok(lines.some((l) => l.includes(tokenFile)));
    } finally {
      await server.close();
    }
  });

  it('a port already in use is a user error (exit 2) naming the port, not a bug (exit 70)', async () => {
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const err = await runServer({ port, databaseUrl: `sqlite:${join(dir, 'cp2.db')}`, env: { HOME: dir }, log: () => undefined }).catch((e: unknown) => e);
      assert.ok(err instanceof UserError, String(err));
      assert.match((err as Error).message, new RegExp(`port ${port} .* already in use`));
      const box = sandbox();
      try {
        const cli = await runCli(['server', '--port', String(port), '--database-url', `sqlite:${join(dir, 'cp3.db')}`], box.env);
        tally.record('port in use exits as a user error', cli.code === 2);
        assert.equal(cli.code, 2, cli.stderr);
        assert.match(cli.stderr, /already in use/);
        assert.doesNotMatch(cli.stderr, /bug/i);
      } finally {
        box.cleanup();
      }
    } finally {
      blocker.close();
    }
    assert.equal(tally.rejected, tally.sent, tally.summary());
  });
});
