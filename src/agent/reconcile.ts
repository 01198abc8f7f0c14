/**
 * Reconcile: the instances the provisioner sees against the contracts the control plane knows.
 * The server answers per instance: keep (a live contract), terminate (the contract ended,
 * failed or was cancelled), or unknown (no such contract). Ended ones are torn down and
 * reported; unknown ones are orphans, torn down once they stay unclaimed past the grace period
 * (long enough for a contract another agent is still provisioning to be reported).
 *
 * The journal is asked about too. A contract this agent started but that has no instance (the
 * agent died before creating it) is sent with an empty external id, so one the requester ended
 * meanwhile is reported terminated instead of staying "terminating" for ever. A provisioner that
 * cannot list sends the instances the journal recorded, so their contracts' ends still reach it.
 */
import type { ControlPlaneClient } from '../protocol/client.js';
import type { Provisioner } from './provisioners/types.js';
import type { StateFile } from './state.js';

export interface ReconcileResult {
  /** contract id → external id of every instance with a live contract. */
  keep: Map<string, string>;
  terminated: string[];
  orphansTerminated: string[];
  orphansWaiting: number;
  /** False when the provisioner cannot list its instances (manual, script without `list`). */
  listed: boolean;
}

export interface ReconcileDeps {
  client: ControlPlaneClient;
  provisioner: Provisioner;
  state: StateFile;
  orphanGraceMs: number;
  now: () => number;
  log: (line: string) => void;
  signal?: AbortSignal;
  /**
   * Only these contracts (lowercase ids) are asked about: the tear-down the poll announced. Orphans
   * are then neither counted nor removed; the full reconcile deals with them.
   */
  only?: ReadonlySet<string>;
}

export async function reconcile(d: ReconcileDeps): Promise<ReconcileResult> {
  const o = d.signal ? { signal: d.signal } : {};
  const result: ReconcileResult = { keep: new Map(), terminated: [], orphansTerminated: [], orphansWaiting: 0, listed: false };
  const listed = await d.provisioner.listRunning(o);
  result.listed = listed !== null;
  const asking = (contractId: string | null | undefined): boolean => !d.only || (!!contractId && d.only.has(contractId.toLowerCase()));
  const running = (listed ?? []).filter((r) => asking(r.contractId));
  const seen = new Set(running.map((r) => r.contractId));
  const journaled = d.state.contracts().flatMap(([contractId, r]) => {
    if (seen.has(contractId) || r.phase === 'manual' || !asking(contractId)) return [];
    if (listed) return [{ externalId: '', contractId }];
    return r.phase === 'provisioned' && r.externalId ? [{ externalId: r.externalId, contractId }] : [];
  });
  const asked = [...running.map((r) => ({ externalId: r.externalId, contractId: r.contractId })), ...journaled];
  if (asked.length === 0) {
    if (listed && !d.only) d.state.setOrphans({});
    return result;
  }
  const answer = await d.client.reconcile({ runningInstances: asked });
  // The answer is checked against the question: an instance is only ever kept, torn down or
  // counted as an orphan if this agent reported it (with that contract), whatever the control plane says.
  const pairs = new Set(asked.map((a) => pairKey(a.externalId, a.contractId)));
  const askedIds = new Set(asked.map((a) => a.externalId).filter(Boolean));
  answer.keep = (answer.keep ?? []).filter((k) => pairs.has(pairKey(k.externalId, k.contractId)));
  answer.terminate = (answer.terminate ?? []).filter((t) => pairs.has(pairKey(t.externalId, t.contractId)));
  answer.unknown = (answer.unknown ?? []).filter((u) => askedIds.has(u.externalId));
  // Only instances that exist are worth a health check.
  for (const k of answer.keep) if (k.externalId) result.keep.set(k.contractId, k.externalId);

  for (const t of answer.terminate) {
    d.signal?.throwIfAborted();
    try {
      if (t.externalId) await d.provisioner.terminate(t.externalId, o, t.contractId);
      await d.client.reportTerminated(t.contractId).catch((err: Error) => {
        // A cancelled or rejected contract cannot move to terminated; its instance is gone all the same.
        d.log(`contract ${t.contractId}: instance ${t.externalId} removed; the control plane did not take the report: ${err.message}`);
      });
      d.state.deleteContract(t.contractId);
      result.terminated.push(t.contractId);
      d.log(`contract ${t.contractId} is ${t.reason}: ${t.externalId ? `instance ${t.externalId} terminated` : 'it never got an instance'}`);
    } catch (err) {
      d.log(`contract ${t.contractId}: terminating instance ${t.externalId} failed: ${(err as Error).message}`);
    }
  }

  if (d.only) return result;
  const now = d.now();
  const orphans = Object.create(null) as Record<string, number>;
  for (const u of answer.unknown) {
    if (!u.externalId) continue;
    const since = d.state.orphanSince(u.externalId) ?? now;
    if (now - since < d.orphanGraceMs) {
      orphans[u.externalId] = since;
      result.orphansWaiting++;
      continue;
    }
    d.signal?.throwIfAborted();
    try {
      await d.provisioner.terminate(u.externalId, o);
      result.orphansTerminated.push(u.externalId);
      d.log(`orphan instance ${u.externalId} (${u.message}) unclaimed for ${Math.round((now - since) / 1000)} s: terminated`);
    } catch (err) {
      orphans[u.externalId] = since;
      d.log(`orphan instance ${u.externalId}: terminate failed: ${(err as Error).message}`);
    }
  }
  d.state.setOrphans(orphans);
  return result;
}

function pairKey(externalId: string, contractId: string | null | undefined): string {
  return `${externalId}\u0000${(contractId ?? '').toLowerCase()}`;
}
