/**
 * The EC2 Query protocol's two encodings: flattened request parameters ("Filter.1.Value.2=x",
 * form body or query string) into a tree, and response trees into EC2's XML (lists as <item>).
 */
import { randomUUID } from 'node:crypto';
import type { EmuRequest, EmuResponse } from '../engine/index.js';

export const EC2_VERSION = '2016-11-15';
export const EC2_XMLNS = `http://ec2.amazonaws.com/doc/${EC2_VERSION}/`;

export type Params = Record<string, any>;

/** Every parameter of a Query request: the form body of a POST, or the query string of a GET. */
export function queryFields(req: EmuRequest): Record<string, string> {
  if (req.method === 'GET') return Object.fromEntries(req.query);
  return req.body && typeof req.body === 'object' ? (req.body as Record<string, string>) : {};
}

/** "A.1.B" → { A: [ { B } ] }: numeric segments are 1-based list positions. */
export function unflatten(fields: Record<string, string>): Params {
  const root: Params = {};
  for (const [key, value] of Object.entries(fields)) {
    const parts = key.split('.');
    let node: any = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]!);
      const slot = /^\d+$/.test(part) ? Number(part) - 1 : part;
      if (last) node[slot] = value;
      else node = node[slot] ??= nextIsIndex ? [] : {};
    }
  }
  return compact(root);
}

/** Lists sent as "X.1", "X.3" become dense arrays. */
function compact(v: any): any {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, compact(x)]));
  return v;
}

export function list(v: unknown): any[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** Filter.N.Name / Filter.N.Value.M → name → values. */
export function filters(p: Params): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of list(p.Filter)) if (f?.Name) out.set(String(f.Name), list(f.Value).map(String));
  return out;
}

/** A value matches a filter's values, with EC2's "*" and "?" wildcards. */
export function matches(value: string | undefined, wanted: string[]): boolean {
  if (value === undefined) return false;
  return wanted.some((w) => new RegExp(`^${w.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value));
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xmlOf(name: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `<${name}>${v.map((x) => xmlOf('item', x)).join('')}</${name}>`;
  if (typeof v === 'object') {
    return `<${name}>${Object.entries(v as Record<string, unknown>).map(([k, x]) => xmlOf(k, x)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

/** <ActionResponse xmlns=…><requestId>…</requestId>…</ActionResponse>; `body` keeps the tree for validation. */
export function ec2Response(action: string, tree: Record<string, unknown>): EmuResponse {
  const requestId = randomUUID();
  const body = { requestId, ...tree };
  const inner = Object.entries(body).map(([k, v]) => xmlOf(k, v)).join('');
  return {
    status: 200,
    body,
    raw: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">${inner}</${action}Response>`,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
  };
}

/** AWS's error document: <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>. */
export function ec2Error(status: number, code: string, message: string): EmuResponse {
  const requestId = randomUUID();
  return {
    status,
    body: { Errors: { Error: { Code: code, Message: message } }, RequestID: requestId },
    raw:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
  };
}

/** A fault answered by the API: thrown by handlers, turned into the error document by the dispatcher. */
export class Ec2Fault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidParameter = (message: string) => new Ec2Fault(400, 'InvalidParameterValue', message);
export const missingParameter = (name: string) => new Ec2Fault(400, 'MissingParameter', `The request must contain the parameter ${name}`);

/** Tags as EC2 lists them. */
export function tagSet(tags: Map<string, string>): { key: string; value: string }[] {
  return [...tags].map(([key, value]) => ({ key, value }));
}

/** TagSpecification.N.{ResourceType, Tag.M.{Key,Value}} for one resource type. */
export function tagsFromSpec(p: Params, resourceType: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of list(p.TagSpecification)) {
    if (spec?.ResourceType !== resourceType) continue;
    for (const t of list(spec.Tag)) if (t?.Key) out.set(String(t.Key), String(t.Value ?? ''));
  }
  return out;
}

/** NextToken paging over a sorted list: the token is the offset, opaque to clients. */
export function page<T>(items: T[], p: Params, defaultMax = 1000): { items: T[]; nextToken?: string } {
  const start = p.NextToken ? Number(Buffer.from(String(p.NextToken), 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new Ec2Fault(400, 'InvalidParameterValue', 'Invalid NextToken');
  const max = p.MaxResults ? Number(p.MaxResults) : defaultMax;
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
  return next ? { items: slice, nextToken: next } : { items: slice };
}
