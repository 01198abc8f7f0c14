import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CloudProvisioner } from '../../src/agent/provisioners/cloud.js';
import { derivePassword, randomPasswordSeed } from '../../src/agent/provisioners/passwords.js';
import { ProvisionError } from '../../src/agent/provisioners/types.js';
import type { ProvisionRequest } from '../../src/agent/contract.js';
import type { CloudProvisionerConfig } from '../../src/agent/config.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emulator: Emulator;
let config: CloudProvisionerConfig;
const seed = randomPasswordSeed();
const timeouts = { pollIntervalMs: 10 };

before(async () => {
  emulator = await startEmulator({ providers: ['hetzner'], timeScale: 2000, seed: 3 });
  config = { type: 'cloud', provider: 'hetzner', region: 'fsn1', sizeMap: { 'off-small': 'cx22' }, image: 'ubuntu-24.04', credentials: { token: 'agent-token' }, endpoint: emulator.urls.hetzner! };
});
after(() => emulator.close());

const request = (offeringId = 'off-small'): ProvisionRequest => ({
  contractId: randomBytes(32).toString('hex'),
  offeringId,
  requesterSshPubkey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1dGVzdGtleWZvcmZlcnJ5YWdlbnR0ZXN0cw requester@laptop',
  cpuCores: 2,
  memoryMb: 4096,
  storageGb: 40,
  instanceConfig: null,
  provisionerConfig: null,
  postProvisionScript: null,
});

test('provisions on the emulated Hetzner with the offering size, labels carry the contract id, terminate deletes', async () => {
  const p = await CloudProvisioner.create(config, { passwordSeed: seed, timeouts, env: {} });
  const req = request();
  const out = await p.provision(req);
  assert.ok(out.kind === 'provisioned');
  assert.match(out.instance.ipAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(out.instance.rootPassword, derivePassword(seed, req.contractId));
  const inst = await p.provider.getInstance(out.instance.externalId);
  assert.equal(inst?.size, 'cx22');
  assert.equal(inst?.name, `dc-${req.contractId.slice(0, 20)}`);
  assert.deepEqual((await p.listRunning()).filter((r) => r.contractId === req.contractId), [{ externalId: out.instance.externalId, contractId: req.contractId }]);
  assert.equal((await p.healthCheck(out.instance.externalId)).status, 'healthy');

  const again = await p.provision(req);
  assert.ok(again.kind === 'provisioned');
  assert.equal(again.instance.externalId, out.instance.externalId, 'a re-run adopts the first server');

  await p.terminate(out.instance.externalId);
  assert.equal(await p.provider.getInstance(out.instance.externalId), null);
  await p.terminate(out.instance.externalId);
});

test('an offering with no size is a clear, final failure; credentials come from the environment when not configured', async () => {
  const p = await CloudProvisioner.create({ ...config, credentials: {} }, { passwordSeed: seed, timeouts, env: { HCLOUD_TOKEN: 'from-env', HETZNER_TOKEN: 'from-env' } });
  await assert.rejects(p.provision(request('off-unknown')), (err: unknown) => err instanceof ProvisionError && !err.retryPossible && /no hetzner size for offering off-unknown/.test(err.message));
  await assert.rejects(
    CloudProvisioner.create({ ...config, credentials: {} }, { passwordSeed: seed, timeouts, env: {} }),
    /credentials missing/,
  );
});

test('a contract\'s server that vanished, or whose id now names another server, is unhealthy with that cause', async () => {
  const p = await CloudProvisioner.create(config, { passwordSeed: seed, timeouts, env: {} });
  const req = request();
  const out = await p.provision(req);
  assert.ok(out.kind === 'provisioned');
  const id = out.instance.externalId;
  assert.equal((await p.healthCheck(id, {}, req.contractId)).status, 'healthy');
  const other = request();
  const elsewhere = await p.healthCheck(id, {}, other.contractId);
  assert.equal(elsewhere.status, 'unhealthy', 'the id names another contract\'s server');
  assert.match(elsewhere.details ?? '', /vanished: .*now names another server/);
  // Deleted behind the agent's back.
  await p.provider.destroyInstance(id);
  const gone = await p.healthCheck(id, {}, req.contractId);
  assert.equal(gone.status, 'unhealthy');
  assert.match(gone.details ?? '', /the server vanished: hetzner has no instance .* \(deleted outside the agent\)/);
});

test('terminate for a contract whose id now names another contract\'s server leaves that server alone', async () => {
  const p = await CloudProvisioner.create(config, { passwordSeed: seed, timeouts, env: {} });
  const req = request();
  const out = await p.provision(req);
  assert.ok(out.kind === 'provisioned');
  const id = out.instance.externalId;
  await p.terminate(id, {}, request().contractId);
  assert.ok(await p.provider.getInstance(id), 'another contract\'s server is never destroyed');
  await p.terminate(id, {}, req.contractId.toUpperCase());
  assert.equal(await p.provider.getInstance(id), null, 'its own contract\'s server is');
});
