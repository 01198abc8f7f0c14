/**
 * Cherry Servers' error body `{"code": <HTTP status>, "message": "..."}` → ferry's error kinds.
 * The code repeats the status and carries no reason of its own, so the kind is the status's;
 * a create refused for want of stock is recognised by the driver from the plan's stock, not text.
 */
import type { ParsedError } from '../../transport/index.js';
import type { CsErrorBody } from './schema.js';

export function parseCherryError(status: number, body: unknown): ParsedError {
  const b = body && typeof body === 'object' ? (body as CsErrorBody) : undefined;
  if (b && typeof b.message === 'string' && b.message) {
    return { message: `${b.message}${typeof b.code === 'number' ? ` [${b.code}]` : ''}`, code: String(b.code ?? status) };
  }
  const text = typeof body === 'string' && body ? body.slice(0, 200) : `HTTP ${status}`;
  return { message: text };
}
