/**
 * Conformance of recorded DigitalOcean exchanges to DigitalOcean's OpenAPI description. The spec
 * types optional members without `nullable`, while the real API reads null as absent: requests
 * are checked with null members dropped.
 */
import { loadOpenApi } from '../support/openapi.js';
import type { ClientRun } from './clients.js';

export const DO_SPEC = 'digitalocean/DigitalOcean-public.v2.bundled.yaml';

export function nonConforming(run: ClientRun): string[] {
  const spec = loadOpenApi(DO_SPEC);
  if ('missing' in spec) return [];
  return run.exchanges.flatMap((x) => [
    ...spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${x.method} ${x.path} ${x.status}: ${e}`),
    ...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, dropNulls(x.requestBody))).map((e) => `request ${x.method} ${x.path}: ${e}`),
  ]);
}

function dropNulls(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}
