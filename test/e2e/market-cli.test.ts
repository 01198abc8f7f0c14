/**
 * The market end to end through the CLI only: `ferry server` (SQLite) and `ferry agent run`
 * are spawned as real processes; the provider publishes with `ferry offering add`, the
 * requester orders with `ferry contract create --wait`, opens the credentials with
 * `ferry contract credentials` (decrypted locally), and ends it with `ferry contract cancel
 * --wait`; the agent tears the instance down and the emulator no longer has it. Once per
 * provisioner: proxmox (emulated PVE), cloud (emulated Hetzner), script (a node script
 * speaking the JSON protocol), manual (the operator completes it in the dashboard).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivePassword, passwordSeedFromKey } from '../../src/agent/provisioners/passwords.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Contract, ContractStatus, Offering } from '../../src/protocol/api.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { ProxmoxClient } from '../../src/providers/proxmox/index.js';
import { parseJson, runCli, sandbox, type Sandbox } from '../cli/helpers.js';
import { spawnFerry, type FerryProcess } from './support/cli-processes.js';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlcnJ5dGVzdGtleWZlcnJ5dGVzdGtleWZlcnJ5dGVzdA requester@laptop';
const OPERATOR_TOKEN = 'operator-token-for-e2e';
const FULL_LIFE: ContractStatus[] = ['requested', 'pending_provisioning', 'provisioning', 'provisioned', 'terminating', 'terminated'];

describe('the market through the ferry CLI (server and agents as processes)', () => {
  let box: Sandbox;
  let emulator: Emulator;
  let server: FerryProcess;
  let url: string;
  let provider: NodeJS.ProcessEnv;
  let requester: NodeJS.ProcessEnv;
  let providerKeyFile: string;

  const ferry = async (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const r = await runCli(args, env);
    assert.equal(r.code, 0, `ferry ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
    return r;
  };
  const json = async <T>(env: NodeJS.ProcessEnv, ...args: string[]): Promise<T> => parseJson<T>((await ferry(env, ...args, '--json')).stdout);

  before(async () => {
    box = sandbox();
    emulator = await startEmulator({ providers: ['proxmox', 'hetzner'], timeScale: 2000, seed: 5 });
    server = spawnFerry(['server', '--port', '0', '--database-url', join(box.dir, 'cp.db')], { ...box.env, FERRY_OPERATOR_TOKEN: OPERATOR_TOKEN });
    url = (await server.waitFor(/listening on (http:\/\/\S+)/))[1]!;
    provider = { ...box.env, XDG_CONFIG_HOME: join(box.dir, 'provider'), FERRY_API_URL: url };
    requester = { ...box.env, XDG_CONFIG_HOME: join(box.dir, 'requester'), FERRY_API_URL: url };
    providerKeyFile = (await json<{ key_file: string }>(provider, 'keys', 'generate')).key_file;
    await ferry(requester, 'keys', 'generate');
  });
  after(async () => {
    assert.equal(await server?.stop(), 0, 'ferry server stops cleanly on SIGTERM');
    await emulator?.close();
    box?.cleanup();
  });

  /** The agent's TOML, signing with the key `ferry keys generate` wrote for the provider. */
  function agentConfig(name: string, provisioner: string): string {
    const path = join(box.dir, `${name}.toml`);
    writeFileSync(path, `[api]
endpoint = "${url}"
provider_secret_key_file = "${providerKeyFile}"

[polling]
interval_seconds = 2
long_poll = true
health_check_interval_seconds = 1
reconcile_interval_seconds = 1
orphan_grace_seconds = 30

[agent]
state_dir = "${join(box.dir, `${name}-state`)}"

${provisioner}
`, { mode: 0o600 });
    return path;
  }

  async function withAgent<T>(name: string, provisioner: string, body: () => Promise<T>): Promise<T> {
    const agent = spawnFerry(['agent', 'run', '--config', agentConfig(name, provisioner)], { ...provider, FERRY_TIME_SCALE: '2000', FERRY_POLL_INTERVAL_MS: '10' });
    try {
      await agent.waitFor(/provisioner, provider/);
      return await body();
    } finally {
      assert.equal(await agent.stop(), 0, `ferry agent run stops cleanly on SIGTERM:\n${agent.output()}`);
    }
  }

  async function publish(type: string): Promise<string> {
    const o = await json<Offering>(provider, 'offering', 'add', '--name', `${type}-small`, '--cpu-cores', '2', '--memory', '4 GB', '--storage', '20 GB', '--price', '12', '--currency', 'EUR', '--provisioner', type, '--auto-accept', '1000');
    return o.offering_id;
  }

  /** Order → provisioned → credentials opened locally → cancel → terminated; returns the ids and password. */
  async function fullLife(type: string): Promise<{ id: string; externalId: string; password: string }> {
    const offeringId = await publish(type);
    const created = await json<Contract>(requester, 'contract', 'create', offeringId, '--ssh-key', SSH_KEY, '--wait', '--timeout', '60');
    assert.equal(created.status, 'provisioned', `contract ended ${created.status}: ${created.error}`);
    const id = created.contract_id;
    assert.equal((created.instance_details as Record<string, unknown>).root_password, undefined);
    const creds = await json<{ root_password: string; external_id: string }>(requester, 'contract', 'credentials', id.slice(0, 12));
    assert.ok(creds.root_password.length >= 12);
    const providerTries = await runCli(['contract', 'credentials', id], provider);
    assert.equal(providerTries.code, 2, 'the provider cannot open the requester\'s credentials');
    const ended = await json<Contract>(requester, 'contract', 'cancel', id, '--wait', '--timeout', '60');
    assert.equal(ended.status, 'terminated');
    const shown = await json<Contract>(requester, 'contract', 'show', id);
    assert.deepEqual(shown.history?.map((h) => h.to_status), FULL_LIFE);
    return { id, externalId: creds.external_id, password: creds.root_password };
  }

  it('proxmox: a VM on the emulated PVE, its password opened by the requester, gone after cancel', async () => {
    const { id, externalId, password } = await withAgent('pve', `[provisioner]
type = "proxmox"

[provisioner.proxmox]
api_url = "${emulator.urls.proxmox}"
api_token_id = "root@pam!agent"
api_token_secret = "agent-secret"
node = "pve1"
template_vmid = 9000
storage = "local-lvm"
`, () => fullLife('proxmox'));
    const secret = readFileSync(providerKeyFile, 'utf8').trim();
    assert.equal(password, derivePassword(passwordSeedFromKey(secret), id));
    const pve = new ProxmoxClient({ url: emulator.urls.proxmox!, tokenId: 'root@pam!agent', tokenSecret: 'agent-secret' });
    assert.equal(await pve.vmStatus('pve1', Number(externalId)), null, 'the VM is gone');
    assert.deepEqual((await pve.listVms('pve1')).filter((v) => !v.template).map((v) => v.vmid), []);
  });

  it('cloud: a server on the emulated Hetzner, deleted after cancel', async () => {
    const { externalId } = await withAgent('cloud', `[provisioner]
type = "cloud"

[provisioner.cloud]
provider = "hetzner"
region = "fsn1"
default_size = "cx22"
endpoint = "${emulator.urls.hetzner}"

[provisioner.cloud.credentials]
token = "hetzner-token"
`, () => fullLife('cloud'));
    const res = await fetch(`${emulator.urls.hetzner}/v1/servers/${externalId}`, { headers: { authorization: 'Bearer t' } });
    assert.equal(res.status, 404);
    const all = (await (await fetch(`${emulator.urls.hetzner}/v1/servers`, { headers: { authorization: 'Bearer t' } })).json()) as { servers: unknown[] };
    assert.deepEqual(all.servers, []);
  });

  it('script: a node script speaking the JSON protocol; its instance file removed after cancel', async () => {
    const vms = join(box.dir, 'script-vms');
    mkdirSync(vms);
    const script = join(box.dir, 'fake-cloud.mjs');
    writeFileSync(script, `#!${process.execPath}
// One script for every action: instances are files named after their external id, holding the contract id.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
const dir = ${JSON.stringify(vms)};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const req = JSON.parse(input);
const reply = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
if (req.action === 'provision') {
  const id = 'vm-' + req.contract_id.slice(0, 12);
  writeFileSync(dir + '/' + id, req.contract_id);
  reply({ success: true, instance: { external_id: id, ip_address: '192.0.2.20', ssh_port: 22, root_password: 'pw-' + req.contract_id } });
} else if (req.action === 'terminate') {
  rmSync(dir + '/' + req.external_id, { force: true });
  reply({ success: true });
} else if (req.action === 'health_check') {
  reply({ success: true, health: { status: 'healthy' } });
} else if (req.action === 'list') {
  reply({ success: true, instances: readdirSync(dir).map((f) => ({ external_id: f, contract_id: readFileSync(dir + '/' + f, 'utf8') })) });
} else {
  reply({ success: false, error: 'unknown action ' + req.action, retry_possible: false });
}
`, { mode: 0o755 });
    const { id, externalId, password } = await withAgent('script', `[provisioner]
type = "script"

[provisioner.script]
provision = "${script}"
terminate = "${script}"
health_check = "${script}"
list = "${script}"
timeout_seconds = 20
`, () => fullLife('script'));
    assert.equal(password, `pw-${id}`);
    assert.equal(existsSync(join(vms, externalId)), false);
    assert.deepEqual(readdirSync(vms), []);
  });

  it('manual: the operator completes it in the dashboard; the requester opens the password it entered', async () => {
    await withAgent('manual', '[provisioner]\ntype = "manual"\n', async () => {
      const offeringId = await publish('manual');
      const { contract_id: id } = await json<Contract>(requester, 'contract', 'create', offeringId, '--ssh-key', SSH_KEY);
      // The agent takes it and leaves it in provisioning for a person.
      const deadline = Date.now() + 20_000;
      while ((await json<Contract>(requester, 'contract', 'show', id)).status !== 'provisioning') {
        assert.ok(Date.now() < deadline, 'the manual agent did not take the contract');
        await new Promise((r) => setTimeout(r, 100));
      }

      const login = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: OPERATOR_TOKEN }) });
      assert.equal(login.status, 303);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const page = await (await fetch(`${url}/dashboard/contracts/${id}`, { headers: { cookie } })).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
      assert.ok(csrf && page.includes('id="manual-provision"'), 'the contract page offers the manual form');
      const done = await fetch(`${url}/dashboard/contracts/${id}/provisioned`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf, external_id: 'rack4-slot2', ip_address: '198.51.100.7', ssh_port: '22', root_password: 'typed-by-the-operator' }),
      });
      assert.equal(done.status, 303);

      const creds = await json<{ root_password: string; ip_address: string }>(requester, 'contract', 'credentials', id);
      assert.deepEqual([creds.root_password, creds.ip_address], ['typed-by-the-operator', '198.51.100.7']);
      assert.equal((await json<Contract>(requester, 'contract', 'cancel', id)).status, 'terminating');
      // A manual instance is torn down by a person, who then reports it with the provider's key.
      const operator = new ControlPlaneClient({ baseUrl: url, secretKey: readFileSync(providerKeyFile, 'utf8').trim() });
      await operator.reportTerminated(id);
      const shown = await json<Contract>(requester, 'contract', 'show', id);
      assert.deepEqual(shown.history?.map((h) => h.to_status), FULL_LIFE);
      assert.equal(shown.history?.find((h) => h.to_status === 'provisioned')?.actor, 'operator:dashboard');
    });
  });
});
