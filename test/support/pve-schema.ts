/**
 * Validates Proxmox VE traffic against the official API schema (pve-docs apidoc.js's
 * apiSchema tree, kept in ../shared/specs/proxmox-ve/pve-apidoc.apiSchema.json).
 * Requests: the path exists, the method exists, required parameters are present, every
 * parameter is declared (indexed ones like ipconfig[n] included) and has the declared
 * type, enum, range, pattern, length and (for the formats ferry uses) format.
 * Responses: `{ data }` with data matching `returns` where the schema declares it.
 */
import { readFileSync } from 'node:fs';
import { specPath } from './specs.js';

interface ParamSchema {
  type?: string | string[];
  optional?: 0 | 1;
  enum?: string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: string | Record<string, ParamSchema & { default_key?: 1; alias?: string }>;
  properties?: Record<string, ParamSchema>;
  items?: ParamSchema;
  additionalProperties?: 0 | 1 | ParamSchema;
}

interface MethodInfo {
  parameters?: { additionalProperties?: 0 | 1; properties?: Record<string, ParamSchema> };
  returns?: ParamSchema;
}

interface ApiNode {
  path: string;
  info?: Record<string, MethodInfo>;
  children?: ApiNode[];
}

export const PVE_SPEC_RELATIVE = 'proxmox-ve/pve-apidoc.apiSchema.json';

export interface PveSchema {
  /** params: path parameters are taken from the path; pass query and form fields here. */
  validateRequest(method: string, path: string, params: Record<string, string>): string[];
  validateResponse(method: string, path: string, status: number, body: unknown): string[];
}

export type LoadedPveSchema = { ok: true; schema: PveSchema } | { ok: false; message: string };

let cache: LoadedPveSchema | undefined;

/** The schema, or a loud message saying where it was looked for (tests skip with it). */
export function loadPveSchema(): LoadedPveSchema {
  if (cache) return cache;
  const found = specPath(PVE_SPEC_RELATIVE);
  if ('missing' in found) {
    cache = { ok: false, message: found.missing };
    return cache;
  }
  const tree = JSON.parse(readFileSync(found.path, 'utf8')) as ApiNode[];
  cache = { ok: true, schema: new Validator(tree) };
  return cache;
}

const API_PREFIX = /^\/api2\/json(?=\/)/;

class Validator implements PveSchema {
  private readonly nodes: { parts: string[]; node: ApiNode }[] = [];

  constructor(tree: ApiNode[]) {
    const walk = (n: ApiNode) => {
      this.nodes.push({ parts: n.path.split('/').filter(Boolean), node: n });
      n.children?.forEach(walk);
    };
    tree.forEach(walk);
  }

  /** The apidoc node for a concrete path; literal segments beat {params}. */
  private find(path: string): { node: ApiNode; pathParams: Record<string, string> } | undefined {
    const parts = path.replace(API_PREFIX, '').split('/').filter(Boolean).map(decodeURIComponent);
    let best: { node: ApiNode; pathParams: Record<string, string>; score: number } | undefined;
    for (const { parts: pat, node } of this.nodes) {
      if (pat.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      let score = 0;
      let match = true;
      for (let i = 0; i < pat.length; i++) {
        const m = /^\{(.+)\}$/.exec(pat[i]!);
        if (m) pathParams[m[1]!] = parts[i]!;
        else if (pat[i] === parts[i]) score++;
        else {
          match = false;
          break;
        }
      }
      if (match && (!best || score > best.score)) best = { node, pathParams, score };
    }
    return best;
  }

  private method(method: string, path: string): { info: MethodInfo; pathParams: Record<string, string> } | string {
    const hit = this.find(path);
    if (!hit) return `${method} ${path}: no such path in the PVE API schema`;
    const info = hit.node.info?.[method.toUpperCase()];
    if (!info) return `${method} ${path}: ${hit.node.path} has no ${method} (has ${Object.keys(hit.node.info ?? {}).join(', ') || 'nothing'})`;
    return { info, pathParams: hit.pathParams };
  }

  validateRequest(method: string, path: string, params: Record<string, string>): string[] {
    const m = this.method(method, path);
    if (typeof m === 'string') return [m];
    const props = m.info.parameters?.properties ?? {};
    const all = { ...m.pathParams, ...params };
    const errors: string[] = [];
    const where = `${method} ${path}`;
    for (const [name, p] of Object.entries(props)) {
      if (!p.optional && all[name] === undefined && !name.includes('[n]')) errors.push(`${where}: required parameter ${name} missing`);
    }
    for (const [name, value] of Object.entries(all)) {
      const p = props[name] ?? props[name.replace(/\d+$/, '[n]')];
      if (!p) {
        if (m.info.parameters?.additionalProperties !== 1) errors.push(`${where}: parameter ${name} is not in the schema`);
        continue;
      }
      errors.push(...checkParam(`${where}: ${name}`, value, p));
    }
    return errors;
  }

  validateResponse(method: string, path: string, status: number, body: unknown): string[] {
    const m = this.method(method, path);
    const where = `${method} ${path} → ${status}`;
    if (typeof m === 'string') return status === 501 ? [] : [m];
    if (!body || typeof body !== 'object' || !('data' in body)) return [`${where}: body is not a { data } envelope`];
    const data = (body as { data: unknown }).data;
    if (status < 200 || status >= 300) return data === null ? [] : [`${where}: error answer with non-null data`];
    return m.info.returns ? checkValue(`${where}: data`, data, m.info.returns) : [];
  }
}

const FORMATS: Record<string, RegExp> = {
  'pve-node': /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
  'pve-vmid': /^\d+$/,
  'pve-configid': /^[a-z][a-z0-9_-]+$/i,
  'pve-storage-id': /^[a-z][a-z0-9._-]*[a-z0-9]$/i,
  'pve-poolid': /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
  'dns-name': /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/,
  'pve-tag-list': /^[a-z0-9_][a-z0-9_+.-]*([;, ]+[a-z0-9_][a-z0-9_+.-]*)*$/i,
  urlencoded: /^[-%a-zA-Z0-9_.!~*'()]*$/,
  'address-list': /^[0-9a-f.:]+([ ,;]+[0-9a-f.:]+)*$/i,
  'pve-qm-ipconfig': /^(ip|gw|ip6|gw6)=[^,]+(,(ip|gw|ip6|gw6)=[^,]+)*$/,
  'pve-qm-cicustom': /^(meta|network|user|vendor)=[^,]+(,(meta|network|user|vendor)=[^,]+)*$/,
};

const BOOL = /^(0|1|true|false|yes|no|on|off)$/i;

function typeOf(p: ParamSchema): string[] {
  return p.type === undefined ? [] : Array.isArray(p.type) ? p.type : [p.type];
}

/** A form/query value: always a string on the wire. */
function checkParam(where: string, value: string, p: ParamSchema): string[] {
  const errors: string[] = [];
  const types = typeOf(p);
  if (types.includes('integer') || types.includes('number')) {
    const re = types.includes('integer') ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    if (!re.test(value)) return [`${where}: "${value}" is not ${types.join('|')}`];
    const n = Number(value);
    if (p.minimum !== undefined && n < p.minimum) errors.push(`${where}: ${n} < minimum ${p.minimum}`);
    if (p.maximum !== undefined && n > p.maximum) errors.push(`${where}: ${n} > maximum ${p.maximum}`);
    return errors;
  }
  if (types.includes('boolean')) return BOOL.test(value) ? [] : [`${where}: "${value}" is not a boolean`];
  if (p.enum && !p.enum.includes(value)) errors.push(`${where}: "${value}" not in ${p.enum.join(', ')}`);
  if (p.maxLength !== undefined && value.length > p.maxLength) errors.push(`${where}: longer than ${p.maxLength}`);
  if (p.pattern && !new RegExp(`^(?:${p.pattern})$`).test(value)) errors.push(`${where}: "${value}" does not match ${p.pattern}`);
  if (typeof p.format === 'string') {
    const re = FORMATS[p.format];
    if (re && !re.test(value)) errors.push(`${where}: "${value}" is not a valid ${p.format}`);
  } else if (p.format && typeof p.format === 'object') {
    errors.push(...checkPropertyString(where, value, p.format));
  }
  return errors;
}

/** PVE property strings: "key=value,…", the default key's value may come bare. */
function checkPropertyString(where: string, value: string, format: Record<string, ParamSchema & { default_key?: 1; alias?: string }>): string[] {
  const errors: string[] = [];
  const defaultKey = Object.entries(format).find(([, f]) => f.default_key)?.[0];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? defaultKey : part.slice(0, eq);
    const v = eq < 0 ? part : part.slice(eq + 1);
    if (!key) {
      errors.push(`${where}: "${part}" has no key and the format has no default key`);
      continue;
    }
    const f = format[key];
    if (!f) {
      errors.push(`${where}: unknown key "${key}" in property string`);
      continue;
    }
    errors.push(...checkParam(`${where}.${key}`, v, f.alias ? (format[f.alias] ?? f) : f));
  }
  return errors;
}

/** A JSON value in a response against the returns schema. Booleans come as 0/1 in PVE's JSON. */
function checkValue(where: string, value: unknown, s: ParamSchema): string[] {
  const types = typeOf(s);
  if (types.length === 0) return [];
  const ok = types.some((t) => {
    switch (t) {
      case 'null':
        return value === null;
      case 'string':
        return typeof value === 'string';
      case 'integer':
        return typeof value === 'number' && Number.isInteger(value);
      case 'number':
        return typeof value === 'number';
      case 'boolean':
        return typeof value === 'boolean' || value === 0 || value === 1;
      case 'array':
        return Array.isArray(value);
      case 'object':
        return value !== null && typeof value === 'object' && !Array.isArray(value);
      default:
        return true;
    }
  });
  if (!ok) return [`${where}: ${JSON.stringify(value)?.slice(0, 80)} is not ${types.join('|')}`];
  const errors: string[] = [];
  if (typeof value === 'string' && s.enum && !s.enum.includes(value)) errors.push(`${where}: "${value}" not in ${s.enum.join(', ')}`);
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push(`${where}: ${value} < minimum ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) errors.push(`${where}: ${value} > maximum ${s.maximum}`);
  }
  if (typeof value === 'string' && s.pattern && !new RegExp(`^(?:${s.pattern})$`).test(value)) errors.push(`${where}: "${value}" does not match ${s.pattern}`);
  if (Array.isArray(value) && s.items) value.forEach((item, i) => errors.push(...checkValue(`${where}[${i}]`, item, s.items!)));
  if (value && typeof value === 'object' && !Array.isArray(value) && s.properties) {
    const obj = value as Record<string, unknown>;
    for (const [k, p] of Object.entries(s.properties)) {
      if (k.includes('[n]')) continue;
      if (obj[k] === undefined) {
        if (!p.optional) errors.push(`${where}.${k}: required property missing`);
        continue;
      }
      errors.push(...checkValue(`${where}.${k}`, obj[k], p));
    }
  }
  return errors;
}

/** One observed exchange of the emulator (engine Exchange shape) against the schema. */
export function validateExchange(schema: PveSchema, x: { method: string; path: string; query: string; requestBody: unknown; status: number; responseBody: unknown }): string[] {
  const params: Record<string, string> = Object.fromEntries(new URLSearchParams(x.query));
  if (x.requestBody && typeof x.requestBody === 'object') Object.assign(params, x.requestBody as Record<string, string>);
  return [...schema.validateRequest(x.method, x.path, params), ...schema.validateResponse(x.method, x.path, x.status, x.responseBody)];
}
