/**
 * The poll's answer, read tolerantly: the bare list (Decent Cloud, or a ferry control plane from
 * before tear-down notices) or ferry's AgentPoll, which adds the contracts to tear down now and
 * the cursor to send with the next poll.
 */
import { ProviderError } from '../core/index.js';
import { CONTRACT_ID_RE } from './contract.js';

export interface PollAnswer {
  /** The entries, each still to be checked by validatePending. */
  pending: unknown[];
  /** Lowercase ids of the contracts the control plane says must be torn down. */
  teardown: string[];
  /** Why some tear-down entries were ignored. */
  malformed: string[];
  /** The next poll's cursor; absent when the control plane sends no tear-downs. */
  cursor?: number;
}

const notAList = () => new ProviderError({ kind: 'api', provider: 'control-plane', message: 'pending-provision answered something other than a list' });

export function readPollAnswer(answer: unknown): PollAnswer {
  if (Array.isArray(answer)) return { pending: answer, teardown: [], malformed: [] };
  if (!answer || typeof answer !== 'object' || !Array.isArray((answer as { pending?: unknown }).pending)) throw notAList();
  const a = answer as { pending: unknown[]; teardown?: unknown; cursor?: unknown };
  const out: PollAnswer = { pending: a.pending, teardown: [], malformed: [] };
  for (const entry of Array.isArray(a.teardown) ? a.teardown : []) {
    const id = (entry as { contract_id?: unknown } | null)?.contract_id;
    if (typeof id === 'string' && CONTRACT_ID_RE.test(id)) out.teardown.push(id.toLowerCase());
    else out.malformed.push(`tear-down entry ${JSON.stringify(String(id ?? 'without contract_id')).slice(0, 80)} is not a contract id`);
  }
  if (typeof a.cursor === 'number' && Number.isSafeInteger(a.cursor) && a.cursor >= 0) out.cursor = a.cursor;
  return out;
}
