/**
 * Robot's error body: `{"error": {"status": <HTTP status>, "code": "<CODE>", "message": "<text>"}}`;
 * a rate limit is a 403 RATE_LIMIT_EXCEEDED with max_request and interval.
 */
import type { EmuResponse } from '../engine/index.js';

export function robotError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): EmuResponse {
  return { status, body: { error: { status, code, message, ...extra } } };
}

/** The engine's generic codes → Robot's. */
export function engineError(status: number, code: string, message: string): EmuResponse {
  if (status === 429) return robotError(403, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', { max_request: 200, interval: 3600 });
  if (status === 401) return robotError(401, 'UNAUTHORIZED', 'Unauthorized');
  if (status === 404) return robotError(404, 'NOT_FOUND', message);
  if (status === 405) return robotError(405, 'METHOD_NOT_ALLOWED', message);
  if (status === 400) return robotError(400, 'INVALID_INPUT', message);
  return robotError(status, code.toUpperCase(), message);
}
