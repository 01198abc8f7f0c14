/**
 * Checks emulated traffic against JSON Schemas written down from a provider's public documents
 * (for APIs without an official machine-readable description: Latitude.sh, Cherry Servers).
 * Each route names the request and response definitions it must match; an exchange no route
 * covers is itself a problem, so nothing slips through unchecked.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Exchange } from '../../src/emulator/index.js';

export interface SchemaRoute {
  method: string;
  path: RegExp;
  /** Definition in the request schema file the JSON body must match. */
  request?: string;
  /** Definition in the response schema file, by status; `empty` for a response without a body. */
  responses: Record<number, string | 'empty'>;
}

/** The repository's root, from dist/test/support. */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function schemaChecker(dir: string, routes: SchemaRoute[], errorDefinition = 'error'): (x: Exchange) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  const load = (file: string) => JSON.parse(readFileSync(resolve(REPO, dir, file), 'utf8')) as { $id: string };
  const req = load('requests.json');
  const res = load('responses.json');
  ajv.addSchema(req);
  ajv.addSchema(res);
  const compiled = new Map<string, ValidateFunction>();
  const validator = (id: string, def: string) => {
    const ref = `${id}#/definitions/${def}`;
    let v = compiled.get(ref);
    if (!v) {
      v = ajv.getSchema(ref);
      if (!v) throw new Error(`no schema definition ${ref}`);
      compiled.set(ref, v);
    }
    return v;
  };
  const problems = (v: ValidateFunction, body: unknown) =>
    v(body) ? [] : (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);

  return (x) => {
    const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
    if (x.reset) return [];
    const route = routes.find((r) => r.method === x.method && r.path.test(x.path));
    if (!route) return [`${where}: no documented schema covers this request`];
    const out: string[] = [];
    if (route.request && x.requestBody !== undefined) out.push(...problems(validator(req.$id, route.request), x.requestBody).map((p) => `request ${where}: ${p}`));
    if (route.request && x.requestBody === undefined && x.status < 400) out.push(`request ${where}: the body is missing`);
    const def = x.status >= 400 ? errorDefinition : route.responses[x.status];
    if (def === undefined) return [...out, `response ${where}: status ${x.status} is not documented for this request`];
    if (def === 'empty') {
      if (x.responseBody !== undefined && x.responseBody !== '') out.push(`response ${where}: expected no body`);
      return out;
    }
    return [...out, ...problems(validator(res.$id, def), x.responseBody).map((p) => `response ${where}: ${p}`)];
  };
}
