/** A provider built against a time-scaled emulator waits at the emulator's pace, through the library and the agent alike. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TIMEOUTS } from '../../src/core/index.js';
import { createProvisioner } from '../../src/agent/provisioners/index.js';
import { timeScaleOf } from '../../src/agent/setup.js';
import type { CloudProvisioner } from '../../src/agent/provisioners/cloud.js';
import type { ProxmoxProvisioner } from '../../src/agent/provisioners/proxmox.js';
import { withDefaults } from '../../src/providers/registry.js';

const seed = new Uint8Array(32);

test('the library: http.timeScale sets the status poll interval; an explicit one wins', async () => {
  const scaled = await withDefaults().create('hetzner', { credentials: { token: 't' }, endpoint: 'http://127.0.0.1:9', http: { timeScale: 1000 } }, {});
  assert.equal(scaled.timeouts.pollIntervalMs, 5);
  assert.equal(scaled.timeouts.instanceReadyMs, DEFAULT_TIMEOUTS.instanceReadyMs, 'wait limits stay the driver\'s');
  const explicit = await withDefaults().create('hetzner', { credentials: { token: 't' }, endpoint: 'http://127.0.0.1:9', http: { timeScale: 1000 }, timeouts: { pollIntervalMs: 40 } }, {});
  assert.equal(explicit.timeouts.pollIntervalMs, 40);
  const real = await withDefaults().create('hetzner', { credentials: { token: 't' }, endpoint: 'http://127.0.0.1:9' }, {});
  assert.equal(real.timeouts.pollIntervalMs, DEFAULT_TIMEOUTS.pollIntervalMs);
});

test('the agent: FERRY_TIME_SCALE reaches the proxmox and cloud provisioners', async () => {
  assert.equal(timeScaleOf({}), 1);
  assert.equal(timeScaleOf({ FERRY_TIME_SCALE: '500' }), 500);
  assert.throws(() => timeScaleOf({ FERRY_TIME_SCALE: '-1' }), /FERRY_TIME_SCALE must be a positive number/);
  const pve = (await createProvisioner(
    { type: 'proxmox', apiUrl: 'http://127.0.0.1:9', tokenId: 'root@pam!a', tokenSecret: 's', node: 'pve1', templateVmid: 9000, verifySsl: true, fullClone: true, ipConfig: 'ip=dhcp' },
    { passwordSeed: seed, timeScale: 1000 },
  )) as ProxmoxProvisioner;
  assert.equal(pve.client.timeouts.pollIntervalMs, 5);
  const cloud = (await createProvisioner(
    { type: 'cloud', provider: 'hetzner', region: 'fsn1', sizeMap: {}, defaultSize: 'cx22', image: 'ubuntu-24.04', credentials: { token: 't' }, endpoint: 'http://127.0.0.1:9' },
    { passwordSeed: seed, timeScale: 1000, env: {} },
  )) as CloudProvisioner;
  assert.equal(cloud.provider.timeouts.pollIntervalMs, 5);
});
