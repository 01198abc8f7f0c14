/**
 * Hivelocity's error body (a Flask-RESTX API): `{"code": <HTTP status>, "message": <reason>,
 * "description": <what went wrong>}`. There is no machine-readable error code beyond the status.
 */
import type { EmuResponse } from '../engine/index.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function hvError(status: number, description: string): EmuResponse {
  return { status, body: { code: status, message: REASONS[status] ?? 'Error', description } };
}

/** Flask's int converter: a path id that is not an integer matches no route. */
export function intParam(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,12}$/.test(raw) ? Number(raw) : undefined;
}
