/** Linode's error body: `{"errors":[{"reason","field"?}]}`, with the status each case has. */
import type { EmuResponse } from '../engine/index.js';

export function lnError(status: number, reason: string, field?: string): EmuResponse {
  return { status, body: { errors: [{ reason, ...(field ? { field } : {}) }] } };
}

export const notFound = (): EmuResponse => lnError(404, 'Not found');
export const badField = (field: string, reason: string): EmuResponse => lnError(400, reason, field);
