/**
 * The market commands through the real binary: keys (file modes, no overwrite, secret never
 * printed), offerings and contracts against an in-process control plane, credentials opened
 * locally, and exit codes that tell a refused request (2) from an unreachable server (1).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Contract, Offering } from '../../src/protocol/api.js';
import { ControlPlaneClient } from '../../src/protocol/client.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { openDb } from '../../src/store/open.js';
import type { Db } from '../../src/store/db.js';
import { parseJson, runCli, sandbox, type Sandbox } from './helpers.js';

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlcnJ5dGVzdGtleWZlcnJ5dGVzdGtleWZlcnJ5dGVzdA requester@laptop';

describe('ferry keys, offering and contract', () => {
  let box: Sandbox;
  let db: Db;
  let server: ServerHandle;
  /** Two identities: separate config homes, one control plane. */
  let provider: NodeJS.ProcessEnv;
  let requester: NodeJS.ProcessEnv;
  const keyFile = (env: NodeJS.ProcessEnv) => join(env.XDG_CONFIG_HOME!, 'ferry', 'keys', 'ferry_ed25519');
  const secretOf = (env: NodeJS.ProcessEnv) => readFileSync(keyFile(env), 'utf8').trim();

  before(async () => {
    box = sandbox();
    db = await openDb(`sqlite:${join(box.dir, 'cp.db')}`, { env: {} });
    server = await startServer({ db, port: 0, quotas: { openContractsPerRequester: 100_000, contractsPerMinutePerRequester: 100_000 } });
    provider = { ...box.env, XDG_CONFIG_HOME: join(box.dir, 'provider'), FERRY_API_URL: server.url };
    requester = { ...box.env, XDG_CONFIG_HOME: join(box.dir, 'requester'), FERRY_API_URL: server.url };
  });
  after(async () => {
    await server.close();
    await db.close();
    box.cleanup();
  });

  it('keys generate writes a 0600 key in a 0700 directory, refuses to overwrite, and never prints the secret', async () => {
    const show0 = await runCli(['keys', 'show'], provider);
    assert.equal(show0.code, 2);
    assert.match(show0.stderr, /no key at[\s\S]*ferry keys generate/);
    const gen = await runCli(['keys', 'generate', '--json'], provider);
    assert.equal(gen.code, 0, gen.stderr);
    const { public_key: pub, key_file: file } = parseJson<{ public_key: string; key_file: string }>(gen.stdout);
    assert.equal(file, keyFile(provider));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(provider.XDG_CONFIG_HOME!, 'ferry', 'keys')).mode & 0o777, 0o700);
    const secret = secretOf(provider);
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.ok(!gen.stdout.includes(secret) && !gen.stderr.includes(secret));

    const again = await runCli(['keys', 'generate'], provider);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists[\s\S]*--force/);
    assert.equal(secretOf(provider), secret, 'the key was not replaced');

    const show = await runCli(['keys', 'show', '--json'], provider);
    assert.equal(parseJson<{ public_key: string }>(show.stdout).public_key, pub);
    assert.ok(!show.stdout.includes(secret));

    const forced = await runCli(['keys', 'generate', '--force'], provider);
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(secretOf(provider), secret);
    assert.equal((await runCli(['keys', 'generate'], requester)).code, 0);
  });

  it('a key file others can read is refused', async () => {
    const dir = join(box.dir, 'loose');
    mkdirSync(dir);
    const loose = join(dir, 'key');
    writeFileSync(loose, `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    const r = await runCli(['keys', 'show'], { ...provider, FERRY_KEY_FILE: loose });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /accessible to every user/);
  });

  let offering: Offering;
  it('offering add / ls / rm, signed with the provider key', async () => {
    const scriptFile = join(box.dir, 'post.sh');
    writeFileSync(scriptFile, '#!/bin/sh\necho ready\n');
    const add = await runCli(['offering', 'add', '--name', 'small-vm', '--cpu-cores', '2', '--memory', '4 GB', '--storage', '50 GB', '--bandwidth', '100',
      '--price', '9.5', '--currency', 'eur', '--provisioner', 'proxmox', '--provisioner-config', '{"template_vmid":9000}', '--post-provision-script', scriptFile, '--auto-accept', '100', '--json'], provider);
    assert.equal(add.code, 0, add.stderr);
    offering = parseJson<Offering>(add.stdout);
    const providerKey = parseJson<{ public_key: string }>((await runCli(['keys', 'show', '--json'], provider)).stdout).public_key;
    assert.equal(offering.provider_pubkey, providerKey);
    assert.equal(offering.currency, 'EUR');
    assert.equal(offering.provisioner_config, '{"template_vmid":9000}');
    assert.equal(offering.post_provision_script, '#!/bin/sh\necho ready\n');

    const missing = await runCli(['offering', 'add', '--name', 'x', '--cpu-cores', '2', '--storage', '1 GB', '--price', '1'], provider);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--memory is required/);

    const ls = await runCli(['offering', 'ls', '--json'], requester);
    assert.deepEqual(parseJson<Offering[]>(ls.stdout).map((o) => o.offering_id), [offering.offering_id]);
    // The provider's provisioner settings and script are not for everyone's eyes.
    assert.equal(parseJson<Offering[]>(ls.stdout)[0]!.provisioner_config, undefined);
    assert.equal(parseJson<Offering[]>(ls.stdout)[0]!.post_provision_script, undefined);
    const own = parseJson<Offering[]>((await runCli(['offering', 'ls', '--mine', '--json'], provider)).stdout);
    assert.equal(own[0]!.provisioner_config, '{"template_vmid":9000}');
    const table = await runCli(['offering', 'ls'], requester);
    assert.match(table.stdout, /small-vm\s+2\s+4 GB\s+50 GB\s+100 Mbit\/s\s+9.5 EUR\/mo\s+proxmox/);
    assert.deepEqual(parseJson<Offering[]>((await runCli(['offering', 'ls', '--mine', '--json'], requester)).stdout), []);

    const extra = parseJson<Offering>((await runCli(['offering', 'add', '--name', 'gone', '--cpu-cores', '1', '--memory', '1 GB', '--storage', '1 GB', '--price', '1', '--json'], provider)).stdout);
    const rmByOther = await runCli(['offering', 'rm', extra.offering_id], requester);
    assert.equal(rmByOther.code, 2, 'only its provider can withdraw it');
    assert.equal((await runCli(['offering', 'rm', extra.offering_id], provider)).code, 0);
    assert.equal(parseJson<Offering[]>((await runCli(['offering', 'ls', '--mine', '--json'], provider)).stdout).length, 1);
  });

  let contract: Contract;
  it('contract create / ls / show with history; the SSH key from a .pub file; a private key refused', async () => {
    const pub = join(box.dir, 'id_ed25519.pub');
    writeFileSync(pub, `${SSH_KEY}\n`);
    const priv = join(box.dir, 'id_ed25519');
    writeFileSync(priv, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
    const refused = await runCli(['contract', 'create', offering.offering_id, '--ssh-key', priv], requester);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /is a private key/);

    const create = await runCli(['contract', 'create', offering.offering_id, '--ssh-key', pub, '--config', '{"hostname":"web-1"}', '--json'], requester);
    assert.equal(create.code, 0, create.stderr);
    contract = parseJson<Contract>(create.stdout);
    assert.equal(contract.status, 'pending_provisioning');
    assert.equal(contract.requester_ssh_pubkey, SSH_KEY);
    assert.equal(contract.instance_config, '{"hostname":"web-1"}');

    const mine = parseJson<Contract[]>((await runCli(['contract', 'ls', '--json'], requester)).stdout);
    assert.deepEqual(mine.map((c) => c.contract_id), [contract.contract_id]);
    const theirs = parseJson<Contract[]>((await runCli(['contract', 'ls', '--as', 'provider', '--json'], provider)).stdout);
    assert.deepEqual(theirs.map((c) => c.contract_id), [contract.contract_id]);

    const show = await runCli(['contract', 'show', contract.contract_id.slice(0, 10)], requester);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /status\s+pending_provisioning/);
    assert.match(show.stdout, /history[\s\S]*-\s+requested\s+requester:[\s\S]*requested\s+pending_provisioning\s+system:auto-accept/);
    assert.equal((await runCli(['contract', 'show', 'ffff'], requester)).code, 2);
  });

  it('credentials are fetched sealed and opened locally; only with the requester key', async () => {
    const before = await runCli(['contract', 'credentials', contract.contract_id], requester);
    assert.equal(before.code, 2);
    assert.match(before.stderr, /no credentials/);
    // The provider's agent reports the instance (here by hand, with the provider's own key).
    const agent = new ControlPlaneClient({ baseUrl: server.url, secretKey: secretOf(provider) });
    assert.equal((await agent.acquireLock(contract.contract_id)).acquired, true);
    await agent.reportProvisioned(contract.contract_id, { external_id: '101', ip_address: '192.0.2.5', ssh_port: 2222, root_password: 's3cret-pw' });

    const creds = await runCli(['contract', 'credentials', contract.contract_id, '--json'], requester);
    assert.equal(creds.code, 0, creds.stderr);
    assert.deepEqual(parseJson(creds.stdout), { contract_id: contract.contract_id, root_password: 's3cret-pw', external_id: '101', ip_address: '192.0.2.5', ssh_port: 2222 });
    const text = await runCli(['contract', 'credentials', contract.contract_id.slice(0, 8)], requester);
    assert.match(text.stdout, /root password\s+s3cret-pw\nssh\s+ssh -p 2222 root@192.0.2.5/);
    const byProvider = await runCli(['contract', 'credentials', contract.contract_id], provider);
    assert.equal(byProvider.code, 2);
    assert.ok(!byProvider.stdout.includes('s3cret-pw'));
  });

  it('cancel on a running contract asks for termination; cancelling twice is a usage error', async () => {
    const r = await runCli(['contract', 'cancel', contract.contract_id, '--json'], requester);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parseJson<Contract>(r.stdout).status, 'terminating');
    const fresh = parseJson<Contract>((await runCli(['contract', 'create', offering.offering_id, '--ssh-key', SSH_KEY, '--json'], requester)).stdout);
    const c = await runCli(['contract', 'cancel', fresh.contract_id, '--json'], requester);
    assert.equal(parseJson<Contract>(c.stdout).status, 'cancelled');
    const twice = await runCli(['contract', 'cancel', fresh.contract_id], requester);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /already cancelled/);
  });

  it('an offering without --auto-accept waits for the provider: contract respond --accept / --reject', async () => {
    const plain = parseJson<Offering>((await runCli(['offering', 'add', '--name', 'by-hand', '--cpu-cores', '1', '--memory', '1 GB', '--storage', '1 GB', '--price', '1', '--json'], provider)).stdout);
    assert.equal(plain.auto_accept, false);
    const asked = parseJson<Contract>((await runCli(['contract', 'create', plain.offering_id, '--ssh-key', SSH_KEY, '--json'], requester)).stdout);
    assert.equal(asked.status, 'requested');
    const accepted = await runCli(['contract', 'respond', asked.contract_id, '--accept', '--memo', 'welcome', '--json'], provider);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(parseJson<Contract>(accepted.stdout).status, 'pending_provisioning');
    const both = await runCli(['contract', 'respond', asked.contract_id, '--accept', '--reject'], provider);
    assert.equal(both.code, 2);
    const byRequester = await runCli(['contract', 'respond', asked.contract_id, '--reject'], requester);
    assert.equal(byRequester.code, 2, 'only the provider answers');
  });

  it('no control plane is a usage error; an unreachable one a failure', async () => {
    const { FERRY_API_URL: _url, ...noApi } = requester;
    const none = await runCli(['contract', 'ls'], noApi);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--api <url> or set FERRY_API_URL/);
    const down = await runCli(['contract', 'ls', '--api', 'http://127.0.0.1:9'], requester);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach http:\/\/127.0.0.1:9/);
  });
});

describe('ferry agent doctor and test-provision', () => {
  let box: Sandbox;
  let config: string;
  before(() => {
    box = sandbox();
    const script = join(box.dir, 'prov.mjs');
    writeFileSync(script, `#!${process.execPath}
let input = '';
for await (const chunk of process.stdin) input += chunk;
const req = JSON.parse(input);
const out = req.action === 'provision' ? { success: true, instance: { external_id: 'vm-1', ip_address: '192.0.2.9', root_password: 'x' } }
  : req.action === 'health_check' ? { success: true, health: { status: 'healthy' } } : { success: true };
process.stdout.write(JSON.stringify(out) + '\\n');
`, { mode: 0o755 });
    config = join(box.dir, 'agent.toml');
    writeFileSync(config, `[provisioner]\ntype = "script"\n\n[provisioner.script]\nprovision = "${script}"\nterminate = "${script}"\nhealth_check = "${script}"\n`, { mode: 0o600 });
  });
  after(() => box.cleanup());

  it('--config is required', async () => {
    const r = await runCli(['agent', 'run'], box.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--config <file> is required/);
  });

  it('doctor --skip-api checks the configuration and the scripts', async () => {
    const r = await runCli(['agent', 'doctor', '--config', config, '--skip-api'], box.env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ configuration: .*provisioner script/);
  });

  it('test-provision provisions, checks and terminates a throwaway instance', async () => {
    const r = await runCli(['agent', 'test-provision', '--config', config, '--ssh-key', SSH_KEY], box.env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ provisioned .*vm-1 at 192\.0\.2\.9[\s\S]*✓ health: healthy[\s\S]*✓ terminated vm-1/);
  });
});
