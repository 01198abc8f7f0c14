/**
 * Scaleway's error bodies: `{"type","message",…}` with the status each type has
 * (the standard errors @scaleway/sdk-client parses: invalid_arguments, not_found, …).
 */
import type { EmuResponse } from '../engine/index.js';

export function scwError(status: number, type: string, message: string, extra: Record<string, unknown> = {}): EmuResponse {
  return { status, body: { type, message, ...extra } };
}

/** invalid_arguments names each offending argument in `details`. */
export function invalidArguments(argument: string, help: string, reason = 'constraint'): EmuResponse {
  return scwError(400, 'invalid_arguments', 'invalid argument(s)', { details: [{ argument_name: argument, reason, help_message: help }] });
}

export function notFound(resource: string, id: string): EmuResponse {
  return scwError(404, 'not_found', 'resource is not found', { resource, resource_id: id });
}

export function preconditionFailed(precondition: string, help: string): EmuResponse {
  return scwError(412, 'precondition_failed', 'resource is not in the expected state', { precondition, help_message: help });
}

export function transientState(resource: string, id: string, state: string): EmuResponse {
  return scwError(409, 'transient_state', `resource is in a transient state: ${state}`, { resource, resource_id: id, current_state: state });
}

export function isResponse(x: unknown): x is EmuResponse {
  return typeof x === 'object' && x !== null && 'status' in x && typeof (x as { status: unknown }).status === 'number';
}

/** The JSON body as an object, or invalid_arguments. */
export function bodyOf(body: unknown): Record<string, unknown> | EmuResponse {
  if (body === undefined) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return scwError(400, 'invalid_request_error', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Path ids that are not UUIDs get the API's invalid_arguments answer. */
export function badId(param: string, value: string): EmuResponse | undefined {
  return UUID_RE.test(value) ? undefined : invalidArguments(param, 'must be a valid UUID', 'syntax');
}
