/**
 * A validator of requests and responses against OVHcloud's native API schema (the format
 * api.ovh.com/1.0/<name>.json serves: `apis[]` of `{path, operations[]}` and `models{}`), which is
 * the only description OVH publishes of /order. How the format is read:
 *  - an operation is `httpMethod` on a path template ({cartId}); the path is matched after the
 *    `basePath` prefix (/1.0) is stripped;
 *  - `parameters[]` with `paramType` path / query / body: a body parameter WITH a name is one field
 *    of the JSON body, one WITHOUT a name is the whole body (a model); `required` is enforced;
 *  - types: OVH primitives (string, text, password, long, int, double, float, boolean, datetime,
 *    date, time, duration, ip*, price, phoneNumber…), `T[]`, `map[string]T`, models (objects whose
 *    `properties` carry `type` and `canBeNull`), and enums (models with `enum` + `enumType`);
 *  - a response is `responseType` (void: no body); only the 2xx answer is typed (OVH's errors are
 *    always `{class, message}` and are checked for that shape).
 * In bodies sent, unknown fields are refused (OVH's API answers 400 "Invalid parameter"); in bodies
 * received, unknown fields are allowed (the API adds fields over time).
 */
import { readSpecText, specPath } from './specs.js';

type Json = Record<string, any>;

export interface OvhNativeValidator {
  validateRequest(method: string, path: string, query: string, body: unknown): string[];
  validateResponse(method: string, path: string, status: number, body: unknown): string[];
  hasOperation(method: string, path: string): boolean;
  /** Problems with one value against an OVH type (exported for the self-test and fixtures). */
  checkType(type: string, value: unknown, where?: string): string[];
  readonly basePath: string;
}

const cache = new Map<string, OvhNativeValidator>();

export function loadOvhNative(rel: string): OvhNativeValidator | { missing: string } {
  const found = specPath(rel);
  if ('missing' in found) return found;
  let v = cache.get(found.path);
  if (!v) {
    v = ovhNativeValidator(JSON.parse(readSpecText(found.path)) as Json);
    cache.set(found.path, v);
  }
  return v;
}

const STRINGS = new Set(['string', 'text', 'password', 'ip', 'ipv4', 'ipv6', 'ipBlock', 'ipv4Block', 'ipv6Block', 'phoneNumber', 'internationalPhoneNumber', 'macAddress', 'uuid', 'duration']);
const INTEGERS = new Set(['long', 'int', 'integer']);
const NUMBERS = new Set(['double', 'float', 'decimal']);
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function templateRegex(t: string): RegExp {
  const src = t.split('/').map((seg) => (/^\{[^}]+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${src}$`);
}

export function ovhNativeValidator(doc: Json): OvhNativeValidator {
  if (!Array.isArray(doc.apis) || !doc.models || typeof doc.models !== 'object') throw new Error('not an OVH native API schema (apis/models)');
  const models = doc.models as Record<string, Json>;
  const basePath = new URL(String(doc.basePath ?? 'https://eu.api.ovh.com/1.0')).pathname.replace(/\/+$/, '');
  // Literal segments before templated ones: /order/cart/{cartId}/item beats /order/cart/{cartId}/{x}.
  const apis = (doc.apis as Json[])
    .map((a) => ({ path: String(a.path), re: templateRegex(String(a.path)), ops: (a.operations ?? []) as Json[], params: (String(a.path).match(/\{/g) ?? []).length }))
    .sort((a, b) => a.params - b.params);

  const strip = (p: string) => (basePath && p.startsWith(basePath + '/') ? p.slice(basePath.length) : p);
  function find(method: string, path: string): Json | undefined {
    const p = strip(path.split('?')[0]!);
    for (const a of apis) {
      if (!a.re.test(p)) continue;
      const op = a.ops.find((o) => String(o.httpMethod).toUpperCase() === method.toUpperCase());
      if (op) return op;
    }
    return undefined;
  }

  function checkType(type: string, value: unknown, where = 'body'): string[] {
    if (value === undefined) return [];
    if (type.endsWith('[]')) {
      if (!Array.isArray(value)) return [`${where}: expected ${type}, got ${kindOf(value)}`];
      return value.flatMap((v, i) => checkType(type.slice(0, -2), v, `${where}[${i}]`));
    }
    const map = /^map\[string\](.+)$/.exec(type);
    if (map) {
      if (!isObject(value)) return [`${where}: expected ${type}, got ${kindOf(value)}`];
      return Object.entries(value).flatMap(([k, v]) => checkType(map[1]!, v, `${where}.${k}`));
    }
    if (STRINGS.has(type)) return typeof value === 'string' ? [] : [`${where}: expected ${type} (a string), got ${kindOf(value)}`];
    if (INTEGERS.has(type)) return typeof value === 'number' && Number.isInteger(value) ? [] : [`${where}: expected ${type} (an integer), got ${kindOf(value)}`];
    if (NUMBERS.has(type)) return typeof value === 'number' ? [] : [`${where}: expected ${type} (a number), got ${kindOf(value)}`];
    if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${where}: expected boolean, got ${kindOf(value)}`];
    if (type === 'datetime') return typeof value === 'string' && DATETIME.test(value) ? [] : [`${where}: expected datetime (ISO 8601), got ${JSON.stringify(value)}`];
    if (type === 'date') return typeof value === 'string' && DATE.test(value) ? [] : [`${where}: expected date (YYYY-MM-DD), got ${JSON.stringify(value)}`];
    if (type === 'time') return typeof value === 'string' ? [] : [`${where}: expected time, got ${kindOf(value)}`];
    // OVH's price core type: {currencyCode, text, value}.
    if (type === 'price' || type === 'order.Price') {
      if (!isObject(value)) return [`${where}: expected price, got ${kindOf(value)}`];
      const out: string[] = [];
      if (typeof value.value !== 'number') out.push(`${where}.value: expected a number`);
      if (typeof value.text !== 'string') out.push(`${where}.text: expected a string`);
      if (value.currencyCode !== undefined && typeof value.currencyCode !== 'string') out.push(`${where}.currencyCode: expected a string`);
      return out;
    }
    const m = models[type];
    if (!m) return /<|>/.test(type) ? [] : [`${where}: unknown type ${type} in the schema`];
    if (Array.isArray(m.enum)) {
      return m.enum.includes(value) ? [] : [`${where}: ${JSON.stringify(value)} is not one of ${type} (${m.enum.slice(0, 12).join(', ')}${m.enum.length > 12 ? ', …' : ''})`];
    }
    if (!isObject(value)) return [`${where}: expected ${type} (an object), got ${kindOf(value)}`];
    return checkModel(type, m, value, where, false);
  }

  function checkModel(name: string, m: Json, value: Record<string, unknown>, where: string, input: boolean): string[] {
    const props = (m.properties ?? {}) as Record<string, Json>;
    const out: string[] = [];
    for (const [k, p] of Object.entries(props)) {
      const v = value[k];
      if (v === undefined) {
        if (input && p.required === true) out.push(`${where}.${k}: required by ${name}`);
        continue;
      }
      if (v === null) {
        if (p.canBeNull === false && !input) out.push(`${where}.${k}: null, but ${name}.${k} cannot be null`);
        continue;
      }
      out.push(...checkType(String(p.fullType ?? p.type), v, `${where}.${k}`));
    }
    if (input) for (const k of Object.keys(value)) if (!(k in props)) out.push(`${where}.${k}: not a field of ${name}`);
    return out;
  }

  function validateRequest(method: string, path: string, query: string, body: unknown): string[] {
    const op = find(method, path);
    if (!op) return [`no operation ${method} ${strip(path)} in the schema`];
    const out: string[] = [];
    const params = (op.parameters ?? []) as Json[];
    const q = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
    for (const p of params.filter((x) => x.paramType === 'query')) {
      const v = q.get(p.name);
      if (v === null) {
        if (p.required) out.push(`query ${p.name}: required`);
        continue;
      }
      const t = String(p.fullType ?? p.dataType);
      const m = models[t];
      if (m && Array.isArray(m.enum) && !m.enum.includes(v)) out.push(`query ${p.name}: ${v} is not one of ${t}`);
      if (INTEGERS.has(t) && !/^-?\d+$/.test(v)) out.push(`query ${p.name}: ${v} is not an integer`);
    }
    for (const k of q.keys()) if (!params.some((p) => p.paramType === 'query' && p.name === k)) out.push(`query ${k}: not a parameter of ${method} ${strip(path)}`);
    const bodyParams = params.filter((x) => x.paramType === 'body');
    const whole = bodyParams.find((p) => !p.name);
    if (whole) {
      const t = String(whole.fullType ?? whole.dataType);
      const m = models[t];
      if (body === undefined || body === null) {
        if (whole.required) out.push(`body: required (${t})`);
      } else if (m && !Array.isArray(m.enum) && isObject(body)) out.push(...checkModel(t, m, body, 'body', true));
      else out.push(...checkType(t, body));
    } else if (bodyParams.length > 0) {
      const b = isObject(body) ? body : {};
      if (body !== undefined && !isObject(body)) out.push(`body: expected an object, got ${kindOf(body)}`);
      for (const p of bodyParams) {
        if (b[p.name] === undefined) {
          if (p.required) out.push(`body.${p.name}: required`);
        } else out.push(...checkType(String(p.fullType ?? p.dataType), b[p.name], `body.${p.name}`));
      }
      for (const k of Object.keys(b)) if (!bodyParams.some((p) => p.name === k)) out.push(`body.${k}: not a parameter of ${method} ${strip(path)}`);
    } else if (body !== undefined && body !== null && !(isObject(body) && Object.keys(body).length === 0)) {
      out.push(`body: ${method} ${strip(path)} takes no body`);
    }
    return out;
  }

  function validateResponse(method: string, path: string, status: number, body: unknown): string[] {
    const op = find(method, path);
    if (!op) return [`no operation ${method} ${strip(path)} in the schema`];
    if (status >= 400) {
      return isObject(body) && typeof body.message === 'string' ? [] : [`error ${status}: expected OVH's {class, message} body, got ${JSON.stringify(body)?.slice(0, 120)}`];
    }
    const t = String(op.responseType ?? 'void');
    if (t === 'void') return body === undefined || body === null ? [] : [`response: ${method} ${strip(path)} returns void, got ${kindOf(body)}`];
    if (body === null) return [`response: null, expected ${t}`];
    return checkType(t, body, 'response');
  }

  return { validateRequest, validateResponse, hasOperation: (m, p) => find(m, p) !== undefined, checkType, basePath };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
