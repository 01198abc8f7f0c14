import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { readSpecText, specPath } from './specs.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, any>;

export interface OpenApiValidator {
  /** Errors of a request: unknown operation, or a JSON body that does not match the requestBody schema. */
  validateRequest(method: string, path: string, body: unknown): string[];
  /** Errors of a response against the declared response schema for its status (or default). */
  validateResponse(method: string, path: string, status: number, body: unknown): string[];
  /** Whether the spec declares this operation at all. */
  hasOperation(method: string, path: string): boolean;
}

const cache = new Map<string, OpenApiValidator>();

export interface LoadOptions {
  /**
   * Merge each `allOf` into one schema before validating. Some documents (Linode's) split one
   * object over several allOf parts that each say `additionalProperties: false`, which taken
   * literally refuses every body; merged, the union of the parts' properties is what is allowed.
   */
  mergeAllOf?: boolean;
}

/** Loads an OpenAPI 3.0 document under the specs dir (once: cached); { missing } when absent. */
export function loadOpenApi(rel: string, opts: LoadOptions = {}): OpenApiValidator | { missing: string } {
  const found = specPath(rel);
  if ('missing' in found) return found;
  const key = `${found.path}${opts.mergeAllOf ? '|merged' : ''}`;
  let v = cache.get(key);
  if (!v) {
    const text = readSpecText(found.path);
    const doc = (rel.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 })) as Json;
    v = buildValidator(opts.mergeAllOf ? (mergeAllOf(doc, doc) as Json) : doc);
    cache.set(key, v);
  }
  return v;
}

/** Every allOf folded into one schema: properties merged, required united, any closed part closes it. */
function mergeAllOf(node: unknown, doc: Json, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((n) => mergeAllOf(n, doc, depth));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) if (k !== 'allOf') out[k] = mergeAllOf(v, doc, depth);
  const parts = (node as Json).allOf;
  if (!Array.isArray(parts) || depth > 20) return out;
  for (const raw of parts) {
    const part = mergeAllOf(resolveLocal(raw, doc), doc, depth + 1) as Json;
    mergeInto(out, part);
  }
  return out;
}

function mergeInto(out: Json, part: Json): void {
  for (const [k, v] of Object.entries(part)) {
    if (k === 'properties' && v && typeof v === 'object') {
      const props = (out.properties ??= {}) as Json;
      for (const [pk, pv] of Object.entries(v as Json)) {
        if (props[pk] && typeof props[pk] === 'object' && pv && typeof pv === 'object') mergeInto(props[pk] as Json, pv as Json);
        else props[pk] = pv;
      }
    } else if (k === 'required' && Array.isArray(v)) {
      out.required = [...new Set([...((out.required as string[] | undefined) ?? []), ...v])];
    } else if (k === 'additionalProperties') {
      if (v === false || out.additionalProperties === undefined) out.additionalProperties = v;
    } else if (out[k] === undefined) {
      out[k] = v;
    }
  }
}

function resolveLocal(node: unknown, doc: Json): unknown {
  let o = node as Json | undefined;
  for (let i = 0; o && typeof o.$ref === 'string' && o.$ref.startsWith('#/') && i < 10; i++) {
    o = (o.$ref as string).slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((a: any, k) => a?.[k], doc);
  }
  return o;
}

function buildValidator(doc: Json): OpenApiValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, discriminator: false, validateFormats: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(f, true);
  ajv.addSchema(nullableToJsonSchema(doc) as object, 'spec');
  const basePath = new URL((doc.servers?.[0]?.url as string | undefined) ?? 'http://x/', 'http://x').pathname.replace(/\/$/, '');
  const templates = Object.keys(doc.paths ?? {}).map((t) => ({ t, re: templateRegex(t) }));
  const compiled = new Map<string, ValidateFunction>();

  const pointer = (...parts: string[]) => 'spec#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const deref = (obj: Json | undefined): Json | undefined => {
    let o = obj;
    for (let i = 0; o && typeof o.$ref === 'string' && i < 10; i++) {
      o = (o.$ref as string).replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((a: any, k) => a?.[k], doc);
    }
    return o;
  };
  const findOp = (method: string, path: string): { template: string; op: Json } | undefined => {
    const candidates = [path, basePath && path.startsWith(basePath) ? path.slice(basePath.length) : path];
    for (const p of candidates) {
      // Prefer templates with more literal segments (e.g. /droplets/actions over /droplets/{id}).
      const matches = templates.filter(({ re }) => re.test(p)).sort((a, b) => literalCount(b.t) - literalCount(a.t));
      for (const { t } of matches) {
        const op = doc.paths[t]?.[method.toLowerCase()];
        if (op) return { template: t, op };
      }
    }
    return undefined;
  };
  const validate = (key: string, ref: string, body: unknown): string[] => {
    let fn = compiled.get(key);
    if (!fn) {
      fn = ajv.compile({ $ref: ref });
      compiled.set(key, fn);
    }
    return fn(body) ? [] : (fn.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  };

  return {
    hasOperation: (method, path) => findOp(method, path) !== undefined,
    validateRequest(method, path, body) {
      const found = findOp(method, path);
      if (!found) return [`no operation ${method} ${path} in the spec`];
      const rb = deref(found.op.requestBody);
      const media = rb?.content?.['application/json'];
      if (!media?.schema || body === undefined) return rb?.required && body === undefined ? ['request body required'] : [];
      const ref = found.op.requestBody.$ref
        ? pointer(...String(found.op.requestBody.$ref).slice(2).split('/'), 'content', 'application/json', 'schema')
        : pointer('paths', found.template, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema');
      return validate(`req ${method} ${found.template}`, ref, body);
    },
    validateResponse(method, path, status, body) {
      const found = findOp(method, path);
      if (!found) return [`no operation ${method} ${path} in the spec`];
      const responses = found.op.responses ?? {};
      const code = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find((c) => responses[c]);
      if (!code) return [`status ${status} not declared for ${method} ${found.template} (declared: ${Object.keys(responses).join(', ')})`];
      const raw = responses[code];
      const resp = deref(raw);
      const media = resp?.content?.['application/json'];
      if (!media?.schema) return [];
      const ref = raw.$ref
        ? pointer(...String(raw.$ref).slice(2).split('/'), 'content', 'application/json', 'schema')
        : pointer('paths', found.template, method.toLowerCase(), 'responses', code, 'content', 'application/json', 'schema');
      return validate(`res ${method} ${found.template} ${code}`, ref, body);
    },
  };
}

function templateRegex(t: string): RegExp {
  const escaped = t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  return new RegExp(`^${escaped.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
}

function literalCount(t: string): number {
  return t.split('/').filter((s) => s && !s.startsWith('{')).length;
}

/** OpenAPI 3.0's `nullable: true` → JSON Schema: a "null" type, or anyOf null where there is no type. */
function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) if (k !== 'nullable') out[k] = nullableToJsonSchema(v);
  if ((node as Json).nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'], ...(out.enum ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [out, { type: 'null' }] };
}
