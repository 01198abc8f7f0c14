/**
 * A validator of requests and responses against a Swagger 2.0 document (Hivelocity's API v2).
 * What Swagger 2.0 differs in from OpenAPI 3.0, and how this handles it:
 *  - paths are under `basePath` (e.g. /api/v2): the request path is matched with it stripped;
 *  - the request body is a parameter `in: body` (at path or operation level) with a `schema`;
 *  - query and path parameters carry their type inline (integer path ids, required query values);
 *  - schemas live in `#/definitions`, compiled once with ajv against the whole document;
 *  - `x-nullable: true` (the Swagger 2.0 extension for null) becomes a "null" type;
 *  - a response declared without `schema` accepts any body (Hivelocity documents its errors so).
 * A 401 answer is accepted on operations under a `security` requirement even where the operation
 * does not list it: Swagger 2.0 has no per-scheme failure response, and the document lists 401 on
 * only some operations although every one is refused the same way without a valid key.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { readSpecText, specPath } from './specs.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, any>;

export interface Swagger2Validator {
  /** Unknown operation, a path or query parameter of the wrong type or missing, or a body that does not match. */
  validateRequest(method: string, path: string, query: string, body: unknown): string[];
  /** The response against the schema declared for its status (or default). */
  validateResponse(method: string, path: string, status: number, body: unknown): string[];
  hasOperation(method: string, path: string): boolean;
  readonly basePath: string;
}

const cache = new Map<string, Swagger2Validator>();

/** Loads a Swagger 2.0 document under the specs dir (YAML or JSON); { missing } when absent. */
export function loadSwagger2(rel: string): Swagger2Validator | { missing: string } {
  const found = specPath(rel);
  if ('missing' in found) return found;
  let v = cache.get(found.path);
  if (!v) {
    const text = readSpecText(found.path);
    v = swagger2Validator((rel.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 })) as Json);
    cache.set(found.path, v);
  }
  return v;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function swagger2Validator(doc: Json): Swagger2Validator {
  if (doc.swagger !== '2.0') throw new Error(`not a Swagger 2.0 document (swagger: ${String(doc.swagger)})`);
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
  addFormats(ajv);
  for (const f of collectFormats(doc)) if (!ajv.formats[f]) ajv.addFormat(f, true);
  ajv.addSchema(xNullable(doc) as object, 'spec');
  const basePath = String(doc.basePath ?? '').replace(/\/+$/, '');
  const templates = Object.keys(doc.paths ?? {}).map((t) => ({ t, re: templateRegex(t) }));
  const compiled = new Map<string, ValidateFunction>();
  const globalSecurity = Array.isArray(doc.security) && doc.security.length > 0;

  const pointer = (...parts: string[]) => 'spec#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const findOp = (method: string, path: string) => {
    const rel = basePath && path.startsWith(basePath) ? path.slice(basePath.length) : undefined;
    if (rel === undefined) return undefined;
    const m = method.toLowerCase();
    const matches = templates.filter(({ re }) => re.test(rel)).sort((a, b) => literalCount(b.t) - literalCount(a.t));
    for (const { t } of matches) {
      const item = doc.paths[t] as Json;
      if (item?.[m] && HTTP_METHODS.includes(m)) return { template: t, item, op: item[m] as Json, rel };
    }
    return undefined;
  };
  /** Operation parameters override path-level ones of the same name and place. */
  const parametersOf = (item: Json, op: Json): Json[] => {
    const byKey = new Map<string, Json>();
    for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])] as Json[]) byKey.set(`${p.in}:${p.name}`, p);
    return [...byKey.values()];
  };
  const validate = (key: string, ref: string, value: unknown): string[] => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile({ $ref: ref });
      compiled.set(key, fn);
    }
    return fn(value) ? [] : (fn.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  };

  return {
    basePath,
    hasOperation: (method, path) => findOp(method, path) !== undefined,
    validateRequest(method, path, query, body) {
      const found = findOp(method, path);
      if (!found) return [`no operation ${method} ${path} in the spec (basePath ${basePath || '/'})`];
      const errors: string[] = [];
      const params = parametersOf(found.item, found.op);
      const pathValues = pathParams(found.template, found.rel);
      const q = new URLSearchParams(query);
      for (const p of params) {
        if (p.in === 'path') errors.push(...checkSimple(`path parameter ${p.name}`, p, pathValues[p.name]));
        if (p.in === 'query') {
          const v = q.get(p.name);
          if (v === null) {
            if (p.required) errors.push(`query parameter ${p.name} is required`);
          } else errors.push(...checkSimple(`query parameter ${p.name}`, p, v));
        }
      }
      const bodyParam = params.find((p) => p.in === 'body');
      if (!bodyParam) {
        if (body !== undefined && body !== '') errors.push('a body was sent to an operation that takes none');
        return errors;
      }
      if (body === undefined) return bodyParam.required ? [...errors, `body parameter ${bodyParam.name} is required`] : errors;
      const inOp = (found.op.parameters ?? []).includes(bodyParam);
      const base = inOp ? ['paths', found.template, method.toLowerCase(), 'parameters'] : ['paths', found.template, 'parameters'];
      const index = ((inOp ? found.op.parameters : found.item.parameters) as Json[]).indexOf(bodyParam);
      errors.push(...validate(`req ${method} ${found.template}`, pointer(...base, String(index), 'schema'), body).map((e) => `body ${e}`));
      return errors;
    },
    validateResponse(method, path, status, body) {
      const found = findOp(method, path);
      if (!found) return [`no operation ${method} ${path} in the spec (basePath ${basePath || '/'})`];
      const responses = (found.op.responses ?? {}) as Json;
      const code = [String(status), 'default'].find((c) => responses[c]);
      if (!code) {
        const secured = found.op.security ? found.op.security.length > 0 : globalSecurity;
        if (status === 401 && secured) return [];
        return [`status ${status} not declared for ${method} ${found.template} (declared: ${Object.keys(responses).join(', ')})`];
      }
      const resp = deref(doc, responses[code]);
      if (!resp?.schema) return [];
      const ref = responses[code].$ref
        ? pointer(...String(responses[code].$ref).slice(2).split('/'), 'schema')
        : pointer('paths', found.template, method.toLowerCase(), 'responses', code, 'schema');
      return validate(`res ${method} ${found.template} ${code}`, ref, body);
    },
  };
}

/** A non-body parameter: its type (integer, number, boolean, string), enum and presence. */
function checkSimple(what: string, p: Json, value: string | undefined): string[] {
  if (value === undefined) return p.required ? [`${what} is required`] : [];
  if (p.type === 'integer' && !/^-?\d+$/.test(value)) return [`${what} must be an integer, got "${value}"`];
  if (p.type === 'number' && !Number.isFinite(Number(value))) return [`${what} must be a number, got "${value}"`];
  if (p.type === 'boolean' && !['true', 'false'].includes(value.toLowerCase())) return [`${what} must be true or false, got "${value}"`];
  if (Array.isArray(p.enum) && !p.enum.map(String).includes(value)) return [`${what} must be one of ${p.enum.join(', ')}, got "${value}"`];
  return [];
}

function deref(doc: Json, obj: Json | undefined): Json | undefined {
  let o = obj;
  for (let i = 0; o && typeof o.$ref === 'string' && i < 10; i++) {
    o = (o.$ref as string).replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((a: any, k) => a?.[k], doc);
  }
  return o;
}

function templateRegex(t: string): RegExp {
  const escaped = t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  // Hivelocity's collection paths end in "/" (/bare-metal-devices/); clients send either spelling.
  return new RegExp(`^${escaped.replace(/\/$/, '')}/?$`);
}

function pathParams(template: string, path: string): Record<string, string> {
  const t = template.replace(/\/$/, '').split('/');
  const p = path.replace(/\/$/, '').split('/');
  const out: Record<string, string> = {};
  t.forEach((seg, i) => {
    const m = /^\{(.+)\}$/.exec(seg);
    if (m && p[i] !== undefined) out[m[1]!] = decodeURIComponent(p[i]!);
  });
  return out;
}

function literalCount(t: string): number {
  return t.split('/').filter((s) => s && !s.startsWith('{')).length;
}

function collectFormats(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === 'format' && typeof v === 'string') out.add(v);
      else collectFormats(v, out);
    }
  }
  return out;
}

/** `x-nullable: true` → a "null" type (or anyOf null where there is no type, e.g. a $ref). */
export function xNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(xNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) if (k !== 'x-nullable') out[k] = xNullable(v);
  if ((node as Json)['x-nullable'] !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(out.enum ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [out, { type: 'null' }] };
}
