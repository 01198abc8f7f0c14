/** The cloud provisioner reports a contract provisioned only once the server's SSH answers. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import ssh2 from 'ssh2';
import { keyPair } from '../ssh/keys.js';
import type { CloudProvisionerConfig } from '../../src/agent/config.js';
import { CloudProvisioner } from '../../src/agent/provisioners/cloud.js';
import { randomPasswordSeed } from '../../src/agent/provisioners/passwords.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ providers: ['hetzner'], timeScale: 2000, seed: 5 });
});
after(() => emulator.close());

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 3000 && !cond(); i++) await new Promise((ok) => setTimeout(ok, 10));
  assert.ok(cond(), `timed out waiting for ${what}`);
};

test('provision waits for an SSH handshake: a port that cuts connections keeps it waiting, an SSH server lets it finish', async () => {
  // Stands in for port 22: first it drops every connection (still booting), then speaks SSH.
  let answering = false;
  let attempts = 0;
  const ssh = new ssh2.Server({ hostKeys: [keyPair().private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.reject());
  });
  const sockets = new Set<Socket>();
  const port22 = createServer((socket) => {
    attempts++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (!answering) return void socket.destroy();
    ssh.injectSocket(socket);
  });
  await new Promise<void>((ok) => port22.listen(0, '127.0.0.1', ok));
  const env = { FERRY_SSH_ENDPOINTS: JSON.stringify({ '*': `127.0.0.1:${(port22.address() as AddressInfo).port}` }) };
  // Set, FERRY_SSH_ENDPOINTS is the whole map: the emulator's own is not asked.
  const config: CloudProvisionerConfig = { type: 'cloud', provider: 'hetzner', region: 'fsn1', sizeMap: {}, defaultSize: 'cx22', image: 'ubuntu-24.04', credentials: { token: 't' }, endpoint: emulator.urls.hetzner! };
  const p = await CloudProvisioner.create(config, { passwordSeed: randomPasswordSeed(), timeouts: { pollIntervalMs: 10, sshConnectMs: 120_000 }, env });
  let done = false;
  const provisioned = p
    .provision({ contractId: randomBytes(32).toString('hex'), offeringId: 'x', requesterSshPubkey: '', cpuCores: 1, memoryMb: 1024, storageGb: 20, instanceConfig: null, provisionerConfig: null, postProvisionScript: null })
    .finally(() => (done = true));
  await until(() => attempts >= 3, 'three refused SSH attempts');
  assert.equal(done, false, 'not reported while SSH does not answer');
  answering = true;
  const out = await provisioned;
  assert.equal(out.kind, 'provisioned');
  assert.ok(attempts >= 4);
  for (const s of sockets) s.destroy();
  await new Promise<void>((ok) => port22.close(() => ok()));
});

test('on the emulator, a provisioned server already answers SSH at its mapped endpoint', async () => {
  const config: CloudProvisionerConfig = { type: 'cloud', provider: 'hetzner', region: 'fsn1', sizeMap: {}, defaultSize: 'cx22', image: 'ubuntu-24.04', credentials: { token: 't' }, endpoint: emulator.urls.hetzner! };
  const p = await CloudProvisioner.create(config, { passwordSeed: randomPasswordSeed(), timeouts: { pollIntervalMs: 10 }, env: {} });
  const out = await p.provision({ contractId: randomBytes(32).toString('hex'), offeringId: 'x', requesterSshPubkey: '', cpuCores: 1, memoryMb: 1024, storageGb: 20, instanceConfig: null, provisionerConfig: null, postProvisionScript: null });
  assert.ok(out.kind === 'provisioned');
  const map = await emulator.sshEndpoints();
  assert.match(map[out.instance.ipAddress!] ?? '', /^127\.0\.0\.1:\d+$/);
});
