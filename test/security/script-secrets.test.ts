/**
 * Finding classes 4 and 15: a provisioner script gets only the environment it needs, nothing it
 * prints on stderr (a `set -x` trace with an Authorization header) reaches the requester, known
 * secrets are redacted from every report and log line, and what a script detaches with setsid
 * does not survive its timeout.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../src/agent/loop.js';
import { makeRedactor, secretsOf } from '../../src/agent/redaction.js';
import { ScriptProvisioner } from '../../src/agent/provisioners/script.js';
import { ProvisionError } from '../../src/agent/provisioners/types.js';
import { StateFile } from '../../src/agent/state.js';
import type { ScriptProvisionerConfig } from '../../src/agent/config.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { generateKeyPair } from '../../src/protocol/keys.js';
import { LOOSE_QUOTAS, OFFERING, party, SSH_KEY, type Party } from '../server/helpers.js';
import { backends, serve, Tally, type Started } from './support.js';

const TOKEN = 'hc-SECRET-token-1234567890';
const AWS = 'aws-SECRET-access-987654321';
const dir = mkdtempSync(join(tmpdir(), 'ferry-script-secrets-'));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body, { mode: 0o755 });
  return path;
}

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

for (const backend of await backends()) {
  describe(`script provisioner secrets on ${backend.name}`, { skip: backend.skip }, () => {
    let s: Started;
    let provider: Party;
    let requester: Party;
    const tally = new Tally('script-secrets', backend.name);

    before(async () => {
      s = await serve(backend, { quotas: LOOSE_QUOTAS });
      provider = party(s.server.url);
      requester = party(s.server.url);
    });
    after(async () => {
      console.log(tally.summary());
      await s?.close();
    });

    it('passes the script only what pass_env names, and reports nothing of its stderr or the provider secrets', async () => {
      const envFile = join(dir, `env-${backend.name}`);
      const provision = script(`leaky-${backend.name}.sh`, `#!/bin/sh
set -x
cat >/dev/null
env > ${envFile}
curl_header="Authorization: Bearer $HCLOUD_TOKEN"
echo "$curl_header" >&2
echo "{\\"success\\":false,\\"error\\":\\"the API refused token $HCLOUD_TOKEN (header $curl_header)\\",\\"retry_possible\\":false}"
exit 1
`);
      const config: ScriptProvisionerConfig = { type: 'script', provision, terminate: provision, timeoutSeconds: 30, maxOutputBytes: 65536, passEnv: ['HCLOUD_TOKEN'] };
      const agentEnv = { PATH: process.env.PATH, HOME: dir, HCLOUD_TOKEN: TOKEN, AWS_SECRET_ACCESS_KEY: AWS, UNRELATED_SETTING: 'visible-to-nobody' };
      const key = generateKeyPair();
      await provider.client.delegateAgent(key.secretKey);
      const state = new StateFile(join(dir, `state-${backend.name}.json`));
      const logs: string[] = [];
      const agent = new Agent({
        client: new ControlPlaneClient({ baseUrl: s.server.url, secretKey: key.secretKey, role: 'agent', providerPubkey: provider.publicKey, agentInstanceId: state.instanceId }),
        provisioner: new ScriptProvisioner(config, agentEnv),
        polling: { intervalSeconds: 1, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
        state,
        log: (l) => logs.push(l),
        redact: makeRedactor(secretsOf({ api: { endpoint: s.server.url, providerPubkey: provider.publicKey, signingKey: key.secretKey, role: 'agent' }, provisioner: config }, agentEnv)),
        maxAttempts: 1,
      });
      const offer = await provider.client.addOffering({ ...OFFERING, provisioner_type: 'script' });
      const c = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      await agent.pollOnce(new AbortController().signal);

      const env = readFileSync(envFile, 'utf8');
      tally.record('script sees the variable pass_env names', env.includes(`HCLOUD_TOKEN=${TOKEN}`));
      tally.record('script does not see other secrets', !env.includes(AWS));
      tally.record('script does not see unrelated settings', !env.includes('visible-to-nobody'));

      const seen = await requester.client.getContract(c.contract_id);
      assert.equal(seen.status, 'failed');
      const requesterText = JSON.stringify(seen);
      tally.record('token absent from what the requester reads', !requesterText.includes(TOKEN) && !/SECRET/.test(requesterText));
      tally.record('set -x trace absent from what the requester reads', !requesterText.includes('curl_header=') && !requesterText.includes('+ echo'));
      assert.match(seen.error ?? '', /the API refused token \*\*\*/);

      const logText = logs.join('\n');
      tally.record('agent log keeps the stderr detail for the operator', /stderr: .*curl_header/s.test(logText));
      tally.record('agent log carries no secret', !logText.includes(TOKEN) && !logText.includes(AWS) && !logText.includes(key.secretKey));
      assert.equal(tally.rejected, tally.sent, `${tally.summary()}\n${logText}\n${requesterText}`);
    });

    it("redacts a provider request's error (a token echoed by the API) before it reaches the requester or the log", async () => {
      const pveSecret = 'pve-token-SECRET-5f6a7b8c';
      const proxmox = { type: 'proxmox' as const, apiUrl: 'https://pve:8006', tokenId: 'root@pam!agent', tokenSecret: pveSecret, node: 'pve1', templateVmid: 9000, verifySsl: true, fullClone: true, ipConfig: 'ip=dhcp' };
      const key = generateKeyPair();
      await provider.client.delegateAgent(key.secretKey);
      const state = new StateFile(join(dir, `state-pve-${backend.name}.json`));
      const logs: string[] = [];
      const agent = new Agent({
        client: new ControlPlaneClient({ baseUrl: s.server.url, secretKey: key.secretKey, role: 'agent', providerPubkey: provider.publicKey, agentInstanceId: state.instanceId }),
        provisioner: {
          type: 'proxmox',
          provision: async () => {
            throw new ProvisionError(`proxmox provisioning: 401 for Authorization: PVEAPIToken=root@pam!agent=${pveSecret}`, false);
          },
          terminate: async () => undefined,
          healthCheck: async () => ({ status: 'unknown' }),
          listRunning: async () => [],
        },
        polling: { intervalSeconds: 1, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 },
        state,
        log: (l) => logs.push(l),
        redact: makeRedactor(secretsOf({ provisioner: proxmox }, {})),
      });
      const offer = await provider.client.addOffering({ ...OFFERING, provisioner_type: 'proxmox' });
      const c = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      await agent.pollOnce(new AbortController().signal);
      const seen = await requester.client.getContract(c.contract_id);
      assert.equal(seen.status, 'failed');
      tally.record('provider error text reported to the requester', !JSON.stringify(seen).includes(pveSecret));
      tally.record('provider error text in the agent log', !logs.join('\n').includes(pveSecret));
      assert.equal(tally.rejected, tally.sent, tally.summary());
    });
  });
}

describe('redaction shapes', () => {
  it('removes bearer tokens, password fields and known values from any text', () => {
    const r = makeRedactor(['known-value-123']);
    const out = r('Authorization: Bearer abc.def.ghi password=hunter22 token: "xyz12345" api_key=K1 PVEAPIToken=root@pam!x=1234-5678 known-value-123');
    assert.doesNotMatch(out, /abc\.def|hunter22|xyz12345|K1|1234-5678|known-value/);
  });
});

describe('processes a script detaches with setsid', () => {
  it('are killed with the script on timeout', async () => {
    const tally = new Tally('script-escape', 'agent');
    const pidFile = join(dir, 'escaped.pid');
    const provision = script('escape.sh', `#!/bin/sh
cat >/dev/null
setsid sh -c 'echo $$ > ${pidFile}; exec sleep 3137' &
( setsid sleep 3138 & )
sleep 300
`);
    const p = new ScriptProvisioner({ type: 'script', provision, terminate: provision, timeoutSeconds: 1, maxOutputBytes: 4096 }, { PATH: process.env.PATH });
    const err = await p.provision({ contractId: 'ab'.repeat(32), offeringId: 'o', requesterSshPubkey: SSH_KEY, cpuCores: 1, memoryMb: 512, storageGb: 10, instanceConfig: null, provisionerConfig: null, postProvisionScript: null }).catch((e: unknown) => e);
    assert.ok(err instanceof ProvisionError && /timed out/.test(err.message), String(err));
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 200 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
    tally.record('setsid child after the timeout kill', !running(pid));
    const { execFileSync } = await import('node:child_process');
    const stray = execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => /^sleep 313[78]$/.test(l.trim()));
    tally.record('double-forked setsid sleeper after the timeout kill', stray.length === 0);
    console.log(tally.summary());
    assert.equal(tally.rejected, tally.sent, `${tally.summary()} ${stray.join(',')}`);
  });
});
