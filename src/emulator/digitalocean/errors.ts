import type { EmuResponse } from '../engine/types.js';
import { uuid } from './ids.js';

/** DigitalOcean's error body `{id, message, request_id}`; the request id also goes in x-request-id. */
export function doError(random: () => number, status: number, id: string, message: string): EmuResponse {
  const requestId = uuid(random);
  return { status, body: { id, message, request_id: requestId }, headers: { 'x-request-id': requestId } };
}

/** The exact bodies the real API sends for the engine's generic failures. */
export function standardError(random: () => number, status: number, code: string, message: string): EmuResponse {
  if (status === 401) return doError(random, 401, 'Unauthorized', 'Unable to authenticate you');
  // An unemulated route says so (in DigitalOcean's format) rather than posing as a missing resource.
  if (status === 404 && message.startsWith('no route for ')) return doError(random, 404, 'not_found', `ferry emulator: ${message.slice('no route for '.length)} is not emulated`);
  if (status === 405) return doError(random, 405, 'method_not_allowed', `ferry emulator: ${message} (not emulated)`);
  if (status === 404) return doError(random, 404, 'not_found', 'The resource you were accessing could not be found.');
  if (status === 429) return doError(random, 429, 'too_many_requests', 'API Rate limit exceeded.');
  if (status >= 500) return doError(random, status, 'server_error', 'Unexpected server-side error');
  return doError(random, status, code, message);
}
