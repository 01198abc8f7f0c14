/**
 * Snapshots are Instance images made by the server's `backup` action (an image of every volume,
 * bootable as is), tagged as ferry's. Deleting removes the image and the Block snapshots behind it,
 * which Scaleway keeps (and bills) after the image is gone.
 */
import { MANAGED_BY_KEY, MANAGED_BY_VALUE, pollUntil, ProviderError, type ProviderTimeouts, type Snapshot, type SnapshotService } from '../../core/index.js';
import { INSTANCE_ZONES } from './catalog.js';
import type { ScalewayClient } from './client.js';
import { parseZonedId } from './ids.js';
import { imageToSnapshot } from './mapping.js';
import { labelToTag, MANAGED_TAG } from './tags.js';
import type { ScwImage } from './schema.js';

export interface SnapshotContext {
  client: ScalewayClient;
  timeouts: ProviderTimeouts;
}

const IMAGE_HREF = /\/images\/([0-9a-f-]{36})/;

export function snapshotService(c: SnapshotContext): SnapshotService {
  return {
    async create(instanceId, name, o) {
      const ref = parseZonedId(instanceId);
      if (!ref) throw new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: instanceId, message: `server ${instanceId} not found` });
      if (ref.api === 'baremetal') throw ProviderError.notSupported('scaleway', 'snapshots', 'Elastic Metal servers have no snapshot API; only Instance servers can be snapshotted');
      const task = await c.client.serverAction(ref.zone, ref.id, { action: 'backup', name }, o);
      const imageId = IMAGE_HREF.exec(task.href_result ?? '')?.[1];
      if (!imageId) throw new ProviderError({ kind: 'api', provider: 'scaleway', message: `backup of ${instanceId} answered without an image (${task.href_result ?? 'no href_result'})` });
      await c.client.updateImage(ref.zone, imageId, { tags: [MANAGED_TAG, labelToTag('ferry-snapshot', 'true')] }, o);
      const img = await pollUntil<ScwImage>({
        provider: 'scaleway',
        operation: `waiting for image ${imageId} of ${instanceId}`,
        timeoutMs: c.timeouts.actionCompleteMs,
        intervalMs: c.timeouts.pollIntervalMs,
        signal: o?.signal,
        check: async () => {
          const i = await c.client.getImage(ref.zone, imageId, o);
          if (!i) throw new ProviderError({ kind: 'api', provider: 'scaleway', message: `image ${imageId} vanished while being created` });
          if (i.state === 'error') throw new ProviderError({ kind: 'api', provider: 'scaleway', message: `image ${imageId} failed` });
          return i.state === 'available' ? i : undefined;
        },
      });
      return imageToSnapshot(img, ref.zone);
    },
    async list(o) {
      const perZone = await Promise.all(
        INSTANCE_ZONES.map(async (zone) => (await c.client.listImages(zone, { tags: `${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}`, public: false }, o)).map((i) => imageToSnapshot(i, zone))),
      );
      return perZone.flat() satisfies Snapshot[];
    },
    async delete(id, o) {
      const ref = parseZonedId(id);
      if (!ref || ref.api !== 'instance') return;
      const img = await c.client.getImage(ref.zone, ref.id, o);
      if (!img) return;
      await c.client.deleteImage(ref.zone, ref.id, o);
      const snapshots = [img.root_volume, ...Object.values(img.extra_volumes ?? {})].filter((v): v is { id: string; volume_type?: string } => !!v?.id);
      for (const s of snapshots) {
        if (s.volume_type === 'sbs_snapshot' || s.volume_type === undefined) await c.client.deleteBlockSnapshot(ref.zone, s.id, o);
        else await c.client.deleteIfExists(`/instance/v1/zones/${ref.zone}/snapshots/${s.id}`, o);
      }
    },
  };
}
