/** Hetzner's error body: `{"error":{"code","message","details"}}`, with the status each code has. */
import type { EmuResponse } from '../engine/index.js';

export function hcError(status: number, code: string, message: string, details: unknown = null): EmuResponse {
  return { status, body: { error: { code, message, details } } };
}

/** invalid_input names the offending fields, as the real API does. */
export function invalidInput(field: string, message: string): EmuResponse {
  return hcError(400, 'invalid_input', `invalid input in field '${field}'`, { fields: [{ name: field, messages: [message] }] });
}

export function notFound(what: string): EmuResponse {
  return hcError(404, 'not_found', `${what} not found`);
}

export function uniqueness(field: string): EmuResponse {
  return hcError(409, 'uniqueness_error', `${field} is already used`, { fields: [{ name: field }] });
}
