/** Latitude.sh's JSON:API error document: `{"errors":[{"code","status","title","detail","meta"}]}`. */
import type { EmuResponse } from '../engine/index.js';

export function lsError(status: number, code: string, detail: string, pointer?: string): EmuResponse {
  const err: Record<string, unknown> = { code, status: String(status), title: 'Error', detail, meta: {} };
  if (pointer) err.source = { pointer };
  return { status, body: { errors: [err] } };
}

export const notFound = () => lsError(404, 'not_found', 'Specified Record Not Found');

export const invalid = (attribute: string, detail: string) => lsError(422, 'invalid_attribute', `${attribute} ${detail}`, `/data/attributes/${attribute}`);

export function isResponse(x: unknown): x is EmuResponse {
  return typeof x === 'object' && x !== null && 'status' in x && typeof (x as { status: unknown }).status === 'number';
}

/** The `data.attributes` of a JSON:API request document, or the API's refusal. */
export function attributesOf(body: unknown, type?: string): Record<string, unknown> | EmuResponse {
  const data = (body as { data?: { type?: unknown; attributes?: unknown } } | undefined)?.data;
  if (!data || typeof data !== 'object') return lsError(400, 'bad_request', 'the request body must be a JSON:API document with data');
  if (type && data.type !== type) return invalid('type', `must be ${type}`);
  const a = data.attributes ?? {};
  if (typeof a !== 'object' || Array.isArray(a)) return lsError(400, 'bad_request', 'data.attributes must be an object');
  return a as Record<string, unknown>;
}
