/** Snapshots are images of type snapshot made by the create_image action, labelled as ferry's. */
import { MANAGED_BY_KEY, MANAGED_BY_VALUE, UserError, type ProviderTimeouts, type SnapshotService } from '../../core/index.js';
import { waitForAction } from './actions.js';
import type { HetznerClient } from './client.js';
import { imageToSnapshot } from './mapping.js';

const isNumericId = (id: string) => /^[1-9]\d{0,15}$/.test(id);

export function snapshotService(c: { client: HetznerClient; timeouts: ProviderTimeouts }): SnapshotService {
  return {
    async create(instanceId, name, o) {
      if (!isNumericId(instanceId)) throw new UserError(`invalid hetzner server id "${instanceId}"`);
      const res = await c.client.createImage(instanceId, { type: 'snapshot', description: name, labels: { [MANAGED_BY_KEY]: MANAGED_BY_VALUE } }, o);
      await waitForAction(c.client, res.action, c.timeouts, o);
      const done = await c.client.getImage(String(res.image.id), o);
      return imageToSnapshot(done ?? res.image);
    },
    async list(o) {
      const images = await c.client.listImages({ type: 'snapshot', label_selector: `${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}` }, o);
      return images.map(imageToSnapshot);
    },
    async delete(id, o) {
      if (isNumericId(id)) await c.client.deleteImage(id, o);
    },
  };
}
