/** Page parameters of listings: a bounded row count, a keyset cursor, and the byte ceiling every page obeys. */
import { HttpError } from './http.js';
import { RESPONSE_LIMITS } from './limits.js';

export interface ListPage {
  limit: number;
  maxBytes: number;
  before?: { createdAt: number; contractId: string };
}

export function listPage(query: URLSearchParams): ListPage {
  const raw = query.get('limit');
  let limit: number = RESPONSE_LIMITS.listDefaultRows;
  if (raw !== null) {
    limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > RESPONSE_LIMITS.listMaxRows) {
      throw new HttpError(400, `limit must be a whole number 1–${RESPONSE_LIMITS.listMaxRows}`);
    }
  }
  const page: ListPage = { limit, maxBytes: RESPONSE_LIMITS.listBytes };
  const before = query.get('before');
  if (before !== null) {
    const m = /^(\d{1,16}):([0-9a-f]{2,128})$/.exec(before);
    if (!m) throw new HttpError(400, 'before must be "<created_at>:<contract_id>" from the previous page');
    page.before = { createdAt: Number(m[1]), contractId: m[2]! };
  }
  return page;
}

/** The cursor that continues after this contract. */
export function contractCursor(c: { created_at: number; contract_id: string }): string {
  return `${c.created_at}:${c.contract_id}`;
}
