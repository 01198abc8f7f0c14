import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScriptProvisionerConfig } from '../../src/agent/config.js';
import type { ProvisionRequest } from '../../src/agent/contract.js';
import { ScriptProvisioner } from '../../src/agent/provisioners/script.js';
import { ProvisionError } from '../../src/agent/provisioners/types.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-agent-script-'));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body, { mode: 0o755 });
  return path;
}

function provisioner(over: Partial<ScriptProvisionerConfig>): ScriptProvisioner {
  return new ScriptProvisioner({ type: 'script', provision: '/nonexistent', terminate: '/nonexistent', timeoutSeconds: 30, maxOutputBytes: 64 * 1024, ...over });
}

const request: ProvisionRequest = {
  contractId: 'abc123',
  offeringId: 'off-123',
  requesterSshPubkey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@host',
  cpuCores: 2,
  memoryMb: 4096,
  storageGb: 50,
  instanceConfig: { hostname: 'web' },
  provisionerConfig: null,
  postProvisionScript: null,
};

async function rejection(p: Promise<unknown>): Promise<ProvisionError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ProvisionError, `expected ProvisionError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ProvisionError');
}

/** Gone, or a zombie nobody reaps yet (PID 1 in a container may not): either way it no longer runs. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

test('provision: the seed request on stdin, the instance from stdout (a node script)', async () => {
  const seen = join(dir, 'seen.json');
  const provision = script('provision.mjs', `#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
const input = readFileSync(0, 'utf8');
writeFileSync(${JSON.stringify(seen)}, input);
const req = JSON.parse(input);
console.log('provisioning', req.contract_id);
console.log(JSON.stringify({ success: true, instance: { external_id: 'vm-' + req.contract_id, ip_address: '10.0.0.100', ipv6_address: '2001:db8::100', ssh_port: 22, root_password: 'pw' } }));
`);
  const out = await provisioner({ provision }).provision(request);
  assert.deepEqual(out, {
    kind: 'provisioned',
    instance: { externalId: 'vm-abc123', ipAddress: '10.0.0.100', ipv6Address: '2001:db8::100', sshPort: 22, rootPassword: 'pw' },
  });
  const input = JSON.parse(readFileSync(seen, 'utf8'));
  assert.equal(input.action, 'provision');
  assert.equal(input.contract_id, 'abc123');
  assert.deepEqual(input.offering, { id: 'off-123', cpu_cores: 2, memory_gb: 4, storage_gb: 50 });
  assert.equal(input.requester_ssh_pubkey, request.requesterSshPubkey);
  assert.deepEqual(input.instance_config, { hostname: 'web' });
});

test('terminate, health_check and list speak the same protocol (a shell script)', async () => {
  const all = script('all.sh', `#!/bin/sh
input=$(cat)
case "$input" in
  *'"terminate"'*) echo '{"success":true}' ;;
  *'"health_check"'*) echo '{"success":true,"health":{"status":"unhealthy","reason":"Network unreachable"}}' ;;
  *'"list"'*) echo '{"success":true,"instances":[{"external_id":"vm-1","contract_id":"c1"},{"external_id":"vm-2"}]}' ;;
esac
`);
  const p = provisioner({ terminate: all, healthCheck: all, list: all });
  await p.terminate('vm-1');
  const health = await p.healthCheck('vm-1');
  assert.equal(health.status, 'unhealthy');
  assert.equal(health.details, 'Network unreachable');
  assert.deepEqual(await p.listRunning(), [{ externalId: 'vm-1', contractId: 'c1' }, { externalId: 'vm-2', contractId: null }]);
  assert.equal(await provisioner({}).listRunning(), null, 'no list script: cannot tell');
  assert.equal((await provisioner({}).healthCheck('x')).status, 'unknown');
});

test('malformed output is a clear, non-retryable failure', async () => {
  const provision = script('malformed.sh', '#!/bin/sh\ncat >/dev/null\necho "{not json"\n');
  const err = await rejection(provisioner({ provision }).provision(request));
  assert.match(err.message, /answered malformed output \(expected one JSON object on stdout\)/);
  assert.match(err.operatorDetail ?? '', /stdout: "\{not json"/, 'what it printed stays on the provider side');
  assert.equal(err.retryPossible, false);
  const noInstance = script('no-instance.sh', '#!/bin/sh\ncat >/dev/null\necho \'{"success":true}\'\n');
  assert.match((await rejection(provisioner({ provision: noInstance }).provision(request))).message, /success without an "instance" object/);
});

test('a non-zero exit fails with the exit code; the captured stderr is operator-side detail, not part of the report', async () => {
  const provision = script('exit3.sh', '#!/bin/sh\ncat >/dev/null\necho "disk full on /var/lib/vz" >&2\nexit 3\n');
  const err = await rejection(provisioner({ provision }).provision(request));
  assert.match(err.message, /provision script exited with code 3$/);
  assert.match(err.operatorDetail ?? '', /stderr: disk full on \/var\/lib\/vz/);
  assert.equal(err.retryPossible, false);
});

test('retry_possible from the script is honoured', async () => {
  const provision = script('retry.sh', '#!/bin/sh\ncat >/dev/null\necho \'{"success":false,"error":"Out of storage space","retry_possible":true}\'\nexit 1\n');
  const err = await rejection(provisioner({ provision }).provision(request));
  assert.match(err.message, /provision script: Out of storage space/);
  assert.equal(err.retryPossible, true);
  const final = script('final.sh', '#!/bin/sh\ncat >/dev/null\necho \'{"success":false,"error":"template missing"}\'\n');
  assert.equal((await rejection(provisioner({ provision: final }).provision(request))).retryPossible, false);
});

test('a timeout kills the whole process group: the sleeping child is gone too', async () => {
  const pidFile = join(dir, 'child.pid');
  const provision = script('hang.sh', `#!/bin/sh\nsleep 300 &\necho $! > ${pidFile}\nwait\n`);
  const err = await rejection(provisioner({ provision, timeoutSeconds: 0.5 }).provision(request));
  assert.match(err.message, /timed out after 0\.5 s and was killed with everything it started/);
  assert.equal(err.retryPossible, true);
  assert.ok(existsSync(pidFile));
  const child = Number(readFileSync(pidFile, 'utf8'));
  assert.ok(await until(() => !running(child)), `child ${child} still running`);
});

test('stderr is captured but capped to its tail', async () => {
  const provision = script('noisy.sh', '#!/bin/sh\ncat >/dev/null\ni=0\nwhile [ $i -lt 4000 ]; do echo "noise line $i" >&2; i=$((i+1)); done\necho "the real reason" >&2\nexit 1\n');
  const err = await rejection(provisioner({ provision }).provision(request));
  const detail = err.operatorDetail ?? '';
  assert.match(detail, /the real reason$/);
  assert.doesNotMatch(detail, /noise line 0\n/);
  assert.ok(detail.length < 9000, `detail is ${detail.length} chars`);
  assert.doesNotMatch(err.message, /noise|real reason/);
});

test('stdout beyond max_output_bytes kills the script', async () => {
  const provision = script('flood.sh', '#!/bin/sh\ncat >/dev/null\nyes "flood"\n');
  const err = await rejection(provisioner({ provision, maxOutputBytes: 4096 }).provision(request));
  assert.match(err.message, /wrote more than max_output_bytes \(4096\) and was killed/);
  assert.equal(err.retryPossible, false);
});

test('a missing or non-executable script is a clear failure', async () => {
  assert.match((await rejection(provisioner({ provision: join(dir, 'nope.sh') }).provision(request))).message, /cannot run .*nope\.sh: ENOENT/);
  const plain = join(dir, 'plain.sh');
  writeFileSync(plain, '#!/bin/sh\necho hi\n', { mode: 0o644 });
  assert.match((await rejection(provisioner({ provision: plain }).provision(request))).message, /EACCES \(is it executable\? chmod \+x\)/);
});

test('an abort (agent shutdown) stops the script', async () => {
  const provision = script('slow.sh', '#!/bin/sh\nsleep 300\n');
  const ac = new AbortController();
  const pending = provisioner({ provision }).provision(request, { signal: ac.signal });
  setTimeout(() => ac.abort(), 100);
  const err = await rejection(pending);
  assert.match(err.message, /the agent is shutting down/);
});
