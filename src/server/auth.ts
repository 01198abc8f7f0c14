/**
 * Authenticates a signed request: signature and clock skew (protocol/signing), then the
 * delegation of an X-Agent-Pubkey key, then the nonce — claimed in the database so a replay
 * is caught by whichever replica it reaches. Rejections are 401 "<reason>: <message>".
 */
import type { IncomingMessage } from 'node:http';
import type { Db } from '../store/db.js';
import { MAX_SKEW_NS, verifyRequest, type RejectReason } from '../protocol/signing.js';
import { claimAgentNonce, claimNonce } from './repo-auth.js';
import { HttpError, type Caller } from './http.js';

const SKEW_MS = Number(MAX_SKEW_NS / 1_000_000n);
/** How far apart replicas' clocks may drift before a purged nonce could be replayed to the one behind. */
const REPLICA_CLOCK_MARGIN_MS = 5 * 60 * 1000;

function rejected(reason: RejectReason, message: string): HttpError {
  return new HttpError(401, `${reason}: ${message}`);
}

export async function authenticate(db: Db, req: IncomingMessage, path: string, body: Buffer, nowMs: number): Promise<Caller> {
  const verdict = verifyRequest({
    headers: req.headers,
    method: req.method ?? 'GET',
    path,
    body,
    now: BigInt(nowMs) * 1_000_000n,
  });
  if (!verdict.ok) throw rejected(verdict.reason, verdict.message);
  // A nonce need only be remembered while its timestamp is still acceptable — to any replica:
  // whichever purges it judges by its own clock, so the margin covers replicas whose clocks disagree.
  const expiresAt = Number(verdict.timestampNs / 1_000_000n) + SKEW_MS + REPLICA_CLOCK_MARGIN_MS;
  // A missing delegation is still the reason given before a replay.
  const { provider, fresh } =
    verdict.role === 'agent'
      ? await claimAgentNonce(db, verdict.key, verdict.nonce, expiresAt, nowMs)
      : { provider: verdict.key, fresh: await claimNonce(db, verdict.key, verdict.nonce, expiresAt) };
  if (!provider) throw rejected('unknown_agent_key', 'no active delegation for this agent key');
  if (!fresh) throw rejected('replayed_nonce', 'this nonce was already used');
  return { signer: verdict.key, role: verdict.role, party: provider };
}
