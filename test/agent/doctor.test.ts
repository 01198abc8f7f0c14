import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentDoctor } from '../../src/agent/doctor.js';
import { agentTestProvision } from '../../src/agent/test-provision.js';
import { ProxmoxClient } from '../../src/providers/proxmox/index.js';
import { collect, proxmoxSection, startRig, writeAgentConfig, type Rig } from '../e2e/support/harness.js';

let rig: Rig;
before(async () => {
  rig = await startRig(['proxmox']);
});
after(() => rig.close());

test('doctor: every check passes against a working control plane and Proxmox', async () => {
  const out = collect();
  const code = await agentDoctor({ config: writeAgentConfig(rig, 'doctor-ok', proxmoxSection(rig)) }, out);
  const text = out.lines.join('');
  assert.equal(code, 0, text);
  for (const label of ['configuration', 'keys', 'control plane reachable', 'signature accepted', 'proxmox token', 'proxmox node', 'proxmox template', 'proxmox storage']) {
    assert.match(text, new RegExp(`^✓ ${label}: `, 'm'));
  }
});

test('doctor: a bad token, a missing template and a wrong storage each fail with the fix', async () => {
  const bad = proxmoxSection(rig).replace('agent-secret', 'invalid-secret');
  let out = collect();
  assert.equal(await agentDoctor({ config: writeAgentConfig(rig, 'doctor-token', bad) }, out), 1);
  assert.match(out.lines.join(''), /^✗ proxmox token: .*check api_token_id \/ api_token_secret/m);

  const wrong = proxmoxSection(rig).replace('template_vmid = 9000', 'template_vmid = 4242').replace('storage = "local-lvm"', 'storage = "local"');
  out = collect();
  assert.equal(await agentDoctor({ config: writeAgentConfig(rig, 'doctor-template', wrong) }, out), 1);
  const text = out.lines.join('');
  assert.match(text, /^✗ proxmox template: VM 4242 not found: set template_vmid/m);
  assert.match(text, /^✗ proxmox storage: storage local does not hold disk images/m);
});

test('doctor: a signature from a key that is not the provider is rejected with the fix', async () => {
  const path = writeAgentConfig(rig, 'doctor-foreign', proxmoxSection(rig));
  // The path's provider is someone else: the server refuses the heartbeat as another party's.
  const other = rig.requester.publicKey;
  writeFileSync(path, (await import('node:fs')).readFileSync(path, 'utf8').replace(/provider_pubkey = "[0-9a-f]+"\n/, '').replace(/provider_secret_key_file = "([^"]+)"/, `agent_secret_key_file = "$1"\nprovider_pubkey = "${other}"`));
  const out = collect();
  assert.equal(await agentDoctor({ config: path }, out), 1);
  assert.match(out.lines.join(''), /^✗ signature accepted: rejected .*does not act for provider/m);
});

test('doctor: script files must exist and be executable; config errors are one ✗ line each', async () => {
  const script = join(rig.dir, 'not-exec.sh');
  writeFileSync(script, '#!/bin/sh\n', { mode: 0o644 });
  const out = collect();
  const path = writeAgentConfig(rig, 'doctor-script', `[provisioner]\ntype = "script"\n[provisioner.script]\nprovision = "${script}"\nterminate = "${join(rig.dir, 'missing.sh')}"\n`);
  assert.equal(await agentDoctor({ config: path }, out), 1);
  const text = out.lines.join('');
  assert.match(text, /^✗ script provision: .*EACCES.*: chmod \+x/m);
  assert.match(text, /^✗ script terminate: .*ENOENT/m);

  const broken = join(rig.dir, 'broken.toml');
  writeFileSync(broken, '[polling]\ninterval_seconds = "often"\n');
  const out2 = collect();
  assert.equal(await agentDoctor({ config: broken }, out2), 1);
  assert.match(out2.lines.join(''), /^✗ configuration: [^]*broken\.toml:2: polling\.interval_seconds: must be a number/m);
});

test('test-provision makes one throwaway VM, checks it and removes it, with no control plane', async () => {
  const path = join(rig.dir, 'tp.toml');
  writeFileSync(path, proxmoxSection(rig), { mode: 0o600 });
  const out = collect();
  const code = await agentTestProvision({ config: path, cpuCores: 1, memoryMb: 512, timeouts: { pollIntervalMs: 10 } }, out);
  const text = out.lines.join('');
  assert.equal(code, 0, text);
  assert.match(text, /✓ provisioned in [\d.]+ s: (\d+) at [\d.]+/);
  assert.match(text, /✓ health: healthy/);
  const vmid = Number(/✓ terminated (\d+)/.exec(text)?.[1]);
  const pve = new ProxmoxClient({ url: rig.emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'agent-secret' });
  assert.equal(await pve.vmStatus('pve1', vmid), null);
});

test('doctor: a refused connection fails "reachable" with the fix; an endpoint answering a large page is reachable', async () => {
  const path = writeAgentConfig(rig, 'doctor-unreachable', proxmoxSection(rig));
  const config = (await import('node:fs')).readFileSync(path, 'utf8');
  writeFileSync(path, config.replace(rig.server.url, 'http://127.0.0.1:1'));
  let out = collect();
  assert.equal(await agentDoctor({ config: path }, out), 1);
  assert.match(out.lines.join(''), /^✗ control plane reachable: http:\/\/127\.0\.0\.1:1 unreachable \(.*ECONNREFUSED.*\): check \[api\] endpoint/m);

  const { createServer } = await import('node:http');
  const page = createServer((_req, res) => res.end(' '.repeat(1024 * 1024)));
  await new Promise<void>((ok) => page.listen(0, '127.0.0.1', ok));
  try {
    const url = `http://127.0.0.1:${(page.address() as import('node:net').AddressInfo).port}`;
    writeFileSync(path, config.replace(rig.server.url, url));
    out = collect();
    await agentDoctor({ config: path }, out);
    assert.match(out.lines.join(''), new RegExp(`^✓ control plane reachable: ${url} answered HTTP 200`, 'm'));
  } finally {
    page.closeAllConnections();
    page.close();
  }
});
