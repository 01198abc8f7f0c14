/**
 * A checker of exchanges against several OpenAPI documents served under one host (Scaleway's
 * Instance v1 and VPC v2 are OpenAPI 3.1, Elastic Metal v1 is 3.0), chosen by path prefix.
 *
 * What it reads the way Scaleway's generator means it, beyond test/support/openapi.ts:
 * - 3.1 `type: [x, 'null']` is JSON Schema and passes through; the generator still writes 3.0's
 *   `nullable: true`, which becomes a null type;
 * - message-typed properties (objects and $refs) are proto3 messages that the API sends as null
 *   when unset (public_ip, placement_group, gpu_info…), so they accept null;
 * - the descriptions declare only success statuses: an error status is checked against Scaleway's
 *   documented error body `{"type","message",…}` instead.
 * Paths of APIs with no description here (Block v1alpha1, IAM v1alpha1, Marketplace v2) are
 * reported once, loudly, as not covered; they are not failures.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { readSpecText, specPath } from './specs.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
type Json = Record<string, any>;

export interface SpecExchange {
  method: string;
  path: string;
  query: string;
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

export const SCALEWAY_ERROR_SCHEMA = {
  type: 'object',
  required: ['type', 'message'],
  properties: {
    type: {
      enum: [
        'denied_authentication', 'permissions_denied', 'not_found', 'invalid_arguments', 'invalid_request_error', 'precondition_failed',
        'already_exists', 'transient_state', 'locked', 'quotas_exceeded', 'out_of_stock', 'too_many_requests', 'internal_error',
        'service_unavailable', 'unknown_resource', 'expired',
      ],
    },
    message: { type: 'string' },
    details: { type: 'array', items: { type: 'object' } },
  },
};

function toJsonSchema(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n));
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable') continue;
    if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, toJsonSchema(s, true)]));
    else out[k] = toJsonSchema(v);
  }
  const isMessage = inProperties && (src.$ref !== undefined || src.type === 'object');
  if (src.nullable === true || isMessage) {
    if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(out.enum ? { enum: [...out.enum, null] } : {}) };
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

interface Doc {
  prefix: string;
  doc: Json;
  templates: { t: string; re: RegExp; literals: number }[];
  id: string;
}

export interface MultiSpecChecker {
  check(x: SpecExchange): string[];
  /** Path prefixes seen that no loaded description covers. */
  uncovered: Set<string>;
}

/** Loads the descriptions (relative to the specs dir) for their path prefixes; { missing } if any is absent. */
export function loadOpenApiSet(files: Record<string, string>, uncoveredPrefixes: string[]): MultiSpecChecker | { missing: string } {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, discriminator: false, validateFormats: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'uint32', 'uint64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true);
  const docs: Doc[] = [];
  for (const [prefix, rel] of Object.entries(files)) {
    const found = specPath(rel);
    if ('missing' in found) return found;
    const doc = parseYaml(readSpecText(found.path), { maxAliasCount: -1 }) as Json;
    const id = `spec${docs.length}`;
    ajv.addSchema(toJsonSchema(doc) as object, id);
    const templates = Object.keys(doc.paths ?? {}).map((t) => ({
      t,
      re: new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      literals: t.split('/').filter((s) => s && !s.startsWith('{')).length,
    }));
    docs.push({ prefix, doc, templates, id });
  }
  const errorCheck = ajv.compile(SCALEWAY_ERROR_SCHEMA);
  const compiled = new Map<string, ValidateFunction>();
  const pointer = (id: string, parts: string[]) => `${id}#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  const run = (key: string, ref: string, body: unknown): string[] => {
    let fn = compiled.get(key);
    if (!fn) compiled.set(key, (fn = ajv.compile({ $ref: ref })));
    return fn(body) ? [] : (fn.errors ?? []).slice(0, 6).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  };
  const uncovered = new Set<string>();

  return {
    uncovered,
    check(x) {
      const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
      const d = docs.find((doc) => x.path.startsWith(doc.prefix));
      if (!d) {
        const p = uncoveredPrefixes.find((u) => x.path.startsWith(u));
        if (p) {
          if (!uncovered.has(p)) console.warn(`*** no API description for ${p} here: its exchanges are not validated ***`);
          uncovered.add(p);
          return x.status >= 400 && !errorCheck(x.responseBody) ? [`response ${where}: not a Scaleway error body`] : [];
        }
        return [`${where}: no description covers this path`];
      }
      const method = x.method.toLowerCase();
      const found = d.templates.filter(({ re }) => re.test(x.path)).sort((a, b) => b.literals - a.literals).find(({ t }) => d.doc.paths[t]?.[method]);
      if (!found) return x.status === 404 || x.status === 405 ? [] : [`${where}: no operation in the description`];
      const op = d.doc.paths[found.t][method] as Json;
      const errors: string[] = [];
      const media = op.requestBody?.content?.['application/json'];
      if (media?.schema && x.requestBody !== undefined) {
        errors.push(...run(`req ${d.id} ${method} ${found.t}`, pointer(d.id, ['paths', found.t, method, 'requestBody', 'content', 'application/json', 'schema']), x.requestBody).map((e) => `request ${where}: ${e}`));
      }
      const code = String(x.status);
      if (op.responses?.[code]) {
        const schema = op.responses[code].content?.['application/json']?.schema;
        if (schema) errors.push(...run(`res ${d.id} ${method} ${found.t} ${code}`, pointer(d.id, ['paths', found.t, method, 'responses', code, 'content', 'application/json', 'schema']), x.responseBody).map((e) => `response ${where}: ${e}`));
        else if (x.responseBody !== undefined && x.status === 204) errors.push(`response ${where}: 204 with a body`);
      } else if (x.status >= 400) {
        if (!errorCheck(x.responseBody)) errors.push(`response ${where}: not a Scaleway error body: ${JSON.stringify(x.responseBody).slice(0, 200)}`);
      } else {
        errors.push(`response ${where}: status ${code} not declared (declared: ${Object.keys(op.responses ?? {}).join(', ')})`);
      }
      return errors;
    },
  };
}
