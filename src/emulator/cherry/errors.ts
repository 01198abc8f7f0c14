/** Cherry Servers' error body: `{"code": <status>, "message": "..."}`. */
import type { EmuResponse } from '../engine/index.js';

export const csError = (status: number, message: string): EmuResponse => ({ status, body: { code: status, message } });

export const notFound = (what: string) => csError(404, `${what} not found`);

export function isResponse(x: unknown): x is EmuResponse {
  return typeof x === 'object' && x !== null && 'status' in x && typeof (x as { status: unknown }).status === 'number';
}

export function bodyObject(body: unknown): Record<string, unknown> | EmuResponse {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return csError(400, 'Request body must be a JSON object');
  return body as Record<string, unknown>;
}
