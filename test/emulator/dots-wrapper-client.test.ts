/** The dots-wrapper npm client (DigitalOcean), unchanged, against the emulator: create, wait, list, rename, delete. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiClient } from 'dots-wrapper';
import { startFor, until } from './clients.js';

test('dots-wrapper: createDroplet (its null/undefined members as sent), getDroplet until active, list, rename, delete', async (t) => {
  const run = await startFor(t, 'digitalocean', {});
  const dots = createApiClient({ token: 'dop_v1_0123456789abcdef0123456789abcdef', endpoint: `${run.url.replace(/\/$/, '')}/v2` });
  const created = await dots.droplet.createDroplet({ name: 'dots-1', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags: ['sdk'] } as never);
  const id = created.data.droplet.id;
  await until('active', async () => ((await dots.droplet.getDroplet({ droplet_id: id })).data.droplet.status === 'active' ? true : undefined));
  const listed = await dots.droplet.listDroplets({ tag_name: 'sdk' } as never);
  assert.deepEqual(listed.data.droplets.map((d) => d.id), [id]);
  await dots.droplet.renameDroplet({ droplet_id: id, name: 'dots-renamed' } as never);
  await until('renamed', async () => ((await dots.droplet.getDroplet({ droplet_id: id })).data.droplet.name === 'dots-renamed' ? true : undefined));
  const deleted = await dots.droplet.deleteDroplet({ droplet_id: id });
  assert.equal(deleted.status, 204);
  await assert.rejects(dots.droplet.getDroplet({ droplet_id: id }), (e: { response?: { status: number } }) => e.response?.status === 404);
});
