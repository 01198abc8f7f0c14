/**
 * The official Scaleway SDK for JavaScript (@scaleway/sdk), unchanged, pointed at the emulator:
 * it creates a server, powers it on and waits for it, lists it and deletes it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClient, Instance, Marketplace } from '@scaleway/sdk';
import { ACCESS_KEY, PROJECT_ID, SECRET, startScaleway, ZONE } from './support.js';

test('the official @scaleway/sdk creates, waits for, lists and deletes a server on the emulator', async (t) => {
  const h = await startScaleway(t);
  const client = createClient({ accessKey: ACCESS_KEY, secretKey: SECRET, defaultProjectId: PROJECT_ID, defaultZone: ZONE, defaultRegion: 'fr-par', apiURL: h.url });
  const instance = new Instance.v1.API(client);
  const marketplace = new Marketplace.v2.API(client);

  const local = await marketplace.listLocalImages({ imageLabel: 'ubuntu_noble', zone: ZONE, type: 'instance_sbs' });
  const image = local.localImages.find((i) => i.arch === 'x86_64' && i.compatibleCommercialTypes.includes('DEV1-S'));
  assert.ok(image, 'the Marketplace has a local image for DEV1-S');

  const { server } = await instance.createServer({ name: 'sdk-server', commercialType: 'DEV1-S', image: image.id, tags: ['sdk'], dynamicIpRequired: true, protected: false });
  assert.ok(server);
  assert.equal(server.state, 'stopped');
  assert.equal(server.commercialType, 'DEV1-S');
  assert.equal(server.project, PROJECT_ID);

  const running = await instance.serverActionAndWait({ serverId: server.id, action: 'poweron' }, { timeout: 60, minDelay: 1, maxDelay: 1 });
  assert.equal(running.state, 'running');

  const listed = await instance.listServers({ tags: ['sdk'] });
  assert.deepEqual(listed.servers.map((s) => s.id), [server.id]);
  assert.equal(listed.totalCount, 1, 'total_count comes from X-Total-Count');
  const all = await instance.listServers();
  assert.equal(all.servers.length, 1);

  // Deleting a running server is refused (the SDK surfaces Scaleway's error); terminate removes it.
  await assert.rejects(instance.deleteServer({ serverId: server.id }), (e: Error) => /powered off/.test(e.message));
  await instance.serverAction({ serverId: server.id, action: 'terminate' });
  const gone = await (async () => {
    for (let i = 0; i < 2_000; i++) {
      const r = await instance.getServer({ serverId: server.id }).catch((e: { status?: number; type?: string }) => e);
      if ((r as { status?: number }).status === 404) return r as { status: number; name?: string; resource?: string };
      await new Promise((ok) => setTimeout(ok, 2));
    }
    return undefined;
  })();
  assert.ok(gone, 'the server is gone after terminate');
  assert.equal(gone.name, 'ResourceNotFoundError', 'the SDK reads Scaleway\'s not_found error');
  assert.equal(gone.resource, 'instance_server');
  assert.deepEqual((await instance.listServers()).servers, []);
  h.assertConformant();
});
