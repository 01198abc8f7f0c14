/**
 * Snapshots of cloud instances: POST /snapshots, polled until complete. A Vultr snapshot has only
 * a description, so ferry's carry the name plus a "[managed-by=ferry]" mark; listings show only
 * those, and a delete re-reads the snapshot and refuses one that is not ferry's. Billed per GB-month.
 */
import { pollUntil, ProviderError, type OperationOptions, type ProviderTimeouts, type SnapshotService } from '../../core/index.js';
import type { VultrClient } from './client.js';
import { isVultrId, type MachineLocator } from './machines.js';
import { snapshotToSnapshot } from './mapping.js';
import { ferrySnapshotName, markSnapshot } from './tags.js';

interface SnapshotContext {
  client: VultrClient;
  machines: MachineLocator;
  timeouts: ProviderTimeouts;
}

export function snapshotService(c: SnapshotContext): SnapshotService {
  return {
    async create(instanceId, name, o) {
      const found = await c.machines.find(instanceId, o);
      if (!found) throw new ProviderError({ kind: 'not_found', provider: 'vultr', subject: instanceId, message: `vultr instance ${instanceId} not found` });
      if (found.api !== 'instances') throw ProviderError.notSupported('vultr', 'snapshots', 'Vultr takes snapshots of cloud instances only, not of bare metal');
      const snap = await c.client.createSnapshot(instanceId, markSnapshot(name), o);
      const done = await waitComplete(c, snap.id, o);
      return snapshotToSnapshot(done, name);
    },
    async list(o) {
      const all = await c.client.listSnapshots(o);
      return all.flatMap((s) => {
        const name = ferrySnapshotName(s.description);
        return name === undefined ? [] : [snapshotToSnapshot(s, name)];
      });
    },
    // The base Provider has checked that the id names one of ferry's snapshots.
    async delete(id, o) {
      if (isVultrId(id)) await c.client.deleteSnapshot(id, o);
    },
  };
}

async function waitComplete(c: SnapshotContext, id: string, o?: OperationOptions) {
  return pollUntil({
    provider: 'vultr',
    operation: `snapshot ${id}`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const s = await c.client.getSnapshot(id, o);
      if (!s) throw new ProviderError({ kind: 'api', provider: 'vultr', subject: id, message: `vultr snapshot ${id} disappeared while it was being taken` });
      return s.status === 'complete' ? s : undefined;
    },
  });
}
