/**
 * Snapshots are private images captured from a Linode's main disk (POST /images with disk_id),
 * tagged as ferry's, polled until available. Linode bills private images per GB-month.
 */
import { pollUntil, ProviderError, type OperationOptions, type ProviderTimeouts, type SnapshotService } from '../../core/index.js';
import type { LinodeClient } from './client.js';
import { imageToSnapshot } from './mapping.js';
import type { LnDisk } from './schema.js';
import { MANAGED_TAG } from './tags.js';

const isNumericId = (id: string) => /^[1-9]\d{0,15}$/.test(id);
const isPrivateImageId = (id: string) => /^private\/\d{1,16}$/.test(id);

/** The disk holding the system: the largest that is not swap. */
export function mainDisk(disks: readonly LnDisk[]): LnDisk | undefined {
  return [...disks].filter((d) => d.filesystem !== 'swap').sort((a, b) => b.size - a.size)[0];
}

export function snapshotService(c: { client: LinodeClient; timeouts: ProviderTimeouts }): SnapshotService {
  const notFound = (id: string) => new ProviderError({ kind: 'not_found', provider: 'linode', subject: id, message: `linode ${id} not found` });
  return {
    async create(instanceId, name, o?: OperationOptions) {
      if (!isNumericId(instanceId)) throw notFound(instanceId);
      if (!(await c.client.getLinode(instanceId, o))) throw notFound(instanceId);
      const disk = mainDisk(await c.client.listDisks(instanceId, o));
      if (!disk) throw new ProviderError({ kind: 'invalid_config', provider: 'linode', subject: instanceId, message: `linode ${instanceId} has no disk to capture` });
      const img = await c.client.createImage({ disk_id: disk.id, label: name, description: `ferry snapshot of linode ${instanceId}`, tags: [MANAGED_TAG] }, o);
      const done = await pollUntil({
        provider: 'linode',
        operation: `capturing image ${img.id}`,
        timeoutMs: c.timeouts.actionCompleteMs,
        intervalMs: c.timeouts.pollIntervalMs,
        signal: o?.signal,
        check: async () => {
          const now = await c.client.getImage(img.id, o);
          if (!now) throw new ProviderError({ kind: 'api', provider: 'linode', subject: img.id, message: `image ${img.id} disappeared while being captured` });
          return now.status === 'available' ? now : undefined;
        },
      });
      return { ...imageToSnapshot(done), instanceId };
    },
    async list(o) {
      const images = await c.client.listImages({ is_public: false, tags: MANAGED_TAG }, o);
      return images.filter((i) => (i.tags ?? []).includes(MANAGED_TAG)).map(imageToSnapshot);
    },
    async delete(id, o) {
      if (isPrivateImageId(id)) await c.client.deleteImage(id, o);
    },
  };
}
