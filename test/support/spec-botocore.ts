/**
 * Checks EC2 Query traffic against a botocore "service-2" model (the .min.json form: shapes may
 * be inline, a member without a type is a string). Requests: the Action exists, the Version is
 * the model's, every parameter names a member (queryName, else the capitalised locationName,
 * else the member name; lists flattened as Name.N), required members are present, values parse
 * as their types. Responses: every element names a member (locationName, else the member name),
 * lists are lists, scalars have their types; errors are AWS's error document.
 */
import type { Exchange } from '../../src/emulator/index.js';
import { readSpecText, specPath } from './specs.js';

type Json = Record<string, any>;

export interface BotocoreChecker {
  apiVersion: string;
  hasOperation(action: string): boolean;
  checkRequest(fields: Record<string, string>): string[];
  checkResponse(action: string, status: number, body: unknown): string[];
  /** An exchange of the EC2 Query API; other traffic (the Price List API) has no model here and is left alone. */
  checkExchange(x: Exchange): string[];
}

const cache = new Map<string, BotocoreChecker>();

export function loadBotocore(rel = 'aws-ec2/ec2-2016-11-15.min.json'): BotocoreChecker | { missing: string } {
  const found = specPath(rel);
  if ('missing' in found) return found;
  let c = cache.get(found.path);
  if (!c) {
    c = checker(JSON.parse(readSpecText(found.path)) as Json);
    cache.set(found.path, c);
  }
  return c;
}

/** The fields of a Query request as the exchange recorded them (form body, or query string for GET). */
export function queryFieldsOf(x: Exchange): Record<string, string> | undefined {
  if (x.method === 'GET') {
    const q = Object.fromEntries(new URLSearchParams(x.query));
    return q.Action ? q : undefined;
  }
  const b = x.requestBody as Record<string, string> | undefined;
  return b && typeof b === 'object' && typeof b.Action === 'string' ? b : undefined;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function checker(model: Json): BotocoreChecker {
  const shapes = model.shapes as Json;
  const resolve = (ref: Json): Json => (ref.shape ? { ...shapes[ref.shape] } : ref);
  const typeOf = (s: Json): string => s.type ?? 'string';
  const apiVersion = String(model.metadata.apiVersion);

  /** "A.1.B" → nested objects, numeric segments kept as keys (checked against list shapes). */
  function tree(fields: Record<string, string>): Json {
    const root: Json = {};
    for (const [key, value] of Object.entries(fields)) {
      const parts = key.split('.');
      let node = root;
      parts.forEach((p, i) => {
        if (i === parts.length - 1) node[p] = value;
        else node = node[p] = typeof node[p] === 'object' ? node[p] : {};
      });
    }
    return root;
  }

  function scalarError(t: string, v: unknown, where: string): string[] {
    const s = String(v);
    switch (t) {
      case 'integer':
      case 'long':
        return /^-?\d+$/.test(s) ? [] : [`${where}: ${s} is not an integer`];
      case 'float':
      case 'double':
        return Number.isFinite(Number(s)) ? [] : [`${where}: ${s} is not a number`];
      case 'boolean':
        return s === 'true' || s === 'false' ? [] : [`${where}: ${s} is not a boolean`];
      case 'timestamp':
        return Number.isNaN(Date.parse(s)) ? [`${where}: ${s} is not a timestamp`] : [];
      case 'blob':
        return /^[A-Za-z0-9+/]*={0,2}$/.test(s) ? [] : [`${where}: not base64`];
      default:
        return typeof v === 'object' && v !== null ? [`${where}: expected a string`] : [];
    }
  }

  function checkInput(shape: Json, value: unknown, where: string): string[] {
    const t = typeOf(shape);
    if (t === 'structure') {
      if (typeof value !== 'object' || value === null) return [`${where}: expected a structure`];
      const members = Object.entries((shape.members ?? {}) as Json);
      const byName = new Map(members.map(([name, ref]) => [ref.queryName ?? (ref.locationName ? cap(ref.locationName) : name), [name, ref] as [string, Json]]));
      const errors: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const m = byName.get(k);
        if (!m) errors.push(`${where}.${k}: not a member of the input`);
        else errors.push(...checkInput(resolve(m[1]), v, `${where}.${k}`));
      }
      for (const req of (shape.required ?? []) as string[]) {
        const [serialized] = [...byName].find(([, [name]]) => name === req) ?? [req];
        if (!(serialized in (value as Json))) errors.push(`${where}: required member ${serialized} is missing`);
      }
      return errors;
    }
    if (t === 'list') {
      if (typeof value !== 'object' || value === null) return [`${where}: expected a list (Name.N)`];
      return Object.entries(value).flatMap(([i, v]) =>
        /^[1-9]\d*$/.test(i) ? checkInput(resolve(shape.member ?? {}), v, `${where}.${i}`) : [`${where}.${i}: list positions are 1, 2, …`],
      );
    }
    if (t === 'map') return [];
    return scalarError(t, value, where);
  }

  function checkOutput(shape: Json, value: unknown, where: string): string[] {
    if (value === undefined || value === null) return [];
    const t = typeOf(shape);
    if (t === 'structure') {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${where}: expected a structure`];
      const byName = new Map(Object.entries((shape.members ?? {}) as Json).map(([name, ref]) => [ref.locationName ?? name, ref as Json]));
      return Object.entries(value).flatMap(([k, v]) => {
        const ref = byName.get(k);
        return ref ? checkOutput(resolve(ref), v, `${where}.${k}`) : [`${where}.${k}: not a member of the output`];
      });
    }
    if (t === 'list') {
      if (!Array.isArray(value)) return [`${where}: expected a list`];
      return value.flatMap((v, i) => checkOutput(resolve(shape.member ?? {}), v, `${where}[${i}]`));
    }
    if (t === 'map') return [];
    if (t === 'boolean' && typeof value === 'boolean') return [];
    if ((t === 'integer' || t === 'long' || t === 'double' || t === 'float') && typeof value === 'number') return [];
    return scalarError(t, value, where);
  }

  const ops = model.operations as Json;
  return {
    apiVersion,
    hasOperation: (action) => Object.hasOwn(ops, action),
    checkRequest(fields) {
      const { Action: action, Version: version, ...rest } = fields;
      if (!action || !Object.hasOwn(ops, action)) return [`unknown Action ${action}`];
      const errors = version === apiVersion ? [] : [`${action}: Version ${version} is not ${apiVersion}`];
      const input = ops[action].input ? resolve(ops[action].input) : { type: 'structure', members: {} };
      return [...errors, ...checkInput(input, tree(rest), action)];
    },
    checkResponse(action, status, body) {
      if (status >= 400) {
        const e = (body as Json | undefined)?.Errors?.Error;
        const ok = typeof e?.Code === 'string' && typeof e?.Message === 'string' && typeof (body as Json).RequestID === 'string';
        return ok ? [] : [`${action} → ${status}: not AWS's error document (Errors.Error.Code/Message, RequestID)`];
      }
      if (!Object.hasOwn(ops, action)) return [`unknown Action ${action}`];
      const { requestId, ...rest } = (body ?? {}) as Json;
      const errors = typeof requestId === 'string' ? [] : [`${action}: the answer has no requestId`];
      const output = ops[action].output ? resolve(ops[action].output) : { type: 'structure', members: {} };
      return [...errors, ...checkOutput(output, rest, `${action}Response`)];
    },
    checkExchange(x) {
      const fields = queryFieldsOf(x);
      if (!fields) return [];
      const where = `${x.method} ${fields.Action} → ${x.status}`;
      return [
        ...this.checkRequest(fields).map((e) => `request ${where}: ${e}`),
        ...(x.reset ? [] : this.checkResponse(fields.Action!, x.status, x.responseBody).map((e) => `response ${where}: ${e}`)),
      ];
    },
  };
}
