import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAgentConfig } from '../../src/agent/config.js';
import { ConfigError } from '../../src/agent/config-source.js';
import { generateKeyPair } from '../../src/protocol/keys.js';

const keys = generateKeyPair();

const SEED_CONFIG = `# dc-agent.toml
[api]
endpoint = "https://api.decent-cloud.org"
provider_pubkey = "${keys.publicKey}"
provider_secret_key = "${keys.secretKey}"

[polling]
interval_seconds = 30
health_check_interval_seconds = 300

[provisioner]
type = "proxmox"

[provisioner.proxmox]
api_url = "https://proxmox.local:8006"
api_token_id = "root@pam!dc-agent"
api_token_secret = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
node = "pve1"
template_vmid = 9000
storage = "local-lvm"
pool = "dc-vms"
verify_ssl = false

[provisioner.script]
provision = "/opt/dc-agent/provision.sh"
terminate = "/opt/dc-agent/terminate.sh"
health_check = "/opt/dc-agent/health.sh"
timeout_seconds = 300

[provisioner.manual]
notification_webhook = "https://slack.webhook/services/x"
`;

function errorsOf(source: string, opts = {}): string {
  try {
    parseAgentConfig(source, { file: 'agent.toml', baseDir: '/etc/ferry', ...opts });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected the configuration to be rejected');
}

test('the seed example parses, with defaults filled in and other provisioner tables warned about', () => {
  const c = parseAgentConfig(SEED_CONFIG, { file: 'dc-agent.toml', baseDir: '/etc/dc-agent' });
  assert.equal(c.api?.endpoint, 'https://api.decent-cloud.org');
  assert.equal(c.api?.providerPubkey, keys.publicKey);
  assert.equal(c.api?.role, 'provider');
  assert.deepEqual(c.polling, { intervalSeconds: 30, healthCheckIntervalSeconds: 300, longPoll: false, orphanGraceSeconds: 600, reconcileIntervalSeconds: 300 });
  assert.deepEqual(c.provisioner, {
    type: 'proxmox',
    apiUrl: 'https://proxmox.local:8006',
    tokenId: 'root@pam!dc-agent',
    tokenSecret: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    node: 'pve1',
    templateVmid: 9000,
    storage: 'local-lvm',
    pool: 'dc-vms',
    verifySsl: false,
    fullClone: true,
    ipConfig: 'ip=dhcp',
  });
  assert.equal(c.warnings.length, 2);
  assert.match(c.warnings[0]!, /dc-agent\.toml:24: provisioner\.script: ignored/);
});

test('a syntax error names the line and column', () => {
  const msg = errorsOf('[api]\nendpoint = = "x"\n');
  assert.match(msg, /agent\.toml:2: \(syntax\): .* at column \d+/);
});

test('semantic errors name the key and its line, all at once', () => {
  const msg = errorsOf(`[api]
endpoint = "ftp://example"
provider_secret_key = "${keys.secretKey}"

[polling]
interval_seconds = -5
long_poll = "yes"

[provisioner]
type = "proxmox"

[provisioner.proxmox]
api_url = "https://pve:8006"
api_token_id = "no-bang"
api_token_secret = "s"
node = "pve1"
template_vmid = 9000.5
`);
  const lines = msg.split('\n');
  assert.deepEqual(lines, [
    'agent.toml:2: api.endpoint: must be an http:// or https:// URL, got ftp:',
    'agent.toml:6: polling.interval_seconds: must be at least 1, got -5',
    'agent.toml:7: polling.long_poll: must be true or false, got string "yes"',
    'agent.toml:14: provisioner.proxmox.api_token_id: invalid value "no-bang": USER@REALM!TOKENID, e.g. root@pam!ferry-agent',
    'agent.toml:17: provisioner.proxmox.template_vmid: must be a whole number, got 9000.5',
  ]);
});

test('missing keys point at their table, unknown keys suggest the right one', () => {
  const msg = errorsOf(`[api]
endpoint = "http://127.0.0.1:1"
provider_secret_key = "${keys.secretKey}"

[polling]
intervall_seconds = 10

[provisioner]
type = "script"

[provisioner.script]
terminate = "./t.sh"
`);
  assert.match(msg, /agent\.toml:6: polling\.intervall_seconds: unknown key \(did you mean interval_seconds\?\)/);
  assert.match(msg, /agent\.toml:11: provisioner\.script\.provision: is required/);
});

test('an unknown provisioner type and a missing [provisioner] table are reported', () => {
  assert.match(errorsOf('[provisioner]\ntype = "docker"\n', { requireApi: false }), /agent\.toml:2: provisioner\.type: unknown provisioner "docker"; expected one of proxmox, script, manual, cloud/);
  assert.match(errorsOf(`[api]\nendpoint = "http://x"\nprovider_secret_key = "${keys.secretKey}"\n`), /agent\.toml: provisioner: missing table \[provisioner\]/);
});

test('provider_pubkey must match the secret key; a delegated agent key needs provider_pubkey', () => {
  const other = generateKeyPair();
  assert.match(
    errorsOf(`[api]\nendpoint = "http://x"\nprovider_pubkey = "${other.publicKey}"\nprovider_secret_key = "${keys.secretKey}"\n[provisioner]\ntype = "manual"\n`),
    /agent\.toml:3: api\.provider_pubkey: does not match provider_secret_key/,
  );
  assert.match(
    errorsOf(`[api]\nendpoint = "http://x"\nagent_secret_key = "${other.secretKey}"\n[provisioner]\ntype = "manual"\n`),
    /api\.provider_pubkey: is required with agent_secret_key/,
  );
  const c = parseAgentConfig(`[api]\nendpoint = "http://x"\nprovider_pubkey = "${keys.publicKey}"\nagent_secret_key = "${other.secretKey}"\n[provisioner]\ntype = "manual"\n`);
  assert.equal(c.api?.role, 'agent');
  assert.equal(c.api?.signingKey, other.secretKey);
  assert.equal(c.api?.providerPubkey, keys.publicKey);
});

test('secrets from files: 0600 read, group-readable warns, world-readable refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-agent-config-'));
  const keyFile = join(dir, 'provider.key');
  writeFileSync(keyFile, `${keys.secretKey}\n`);
  const tokenFile = join(dir, 'pve-token');
  writeFileSync(tokenFile, 'token-secret\n');
  const config = (mode: number) => {
    chmodSync(keyFile, 0o600);
    chmodSync(tokenFile, mode);
    return `[api]
endpoint = "http://127.0.0.1:9"
provider_secret_key_file = "provider.key"

[provisioner]
type = "proxmox"

[provisioner.proxmox]
api_url = "https://pve:8006"
api_token_id = "root@pam!agent"
api_token_secret_file = "${tokenFile}"
node = "pve1"
template_vmid = 9000
`;
  };
  const ok = parseAgentConfig(config(0o600), { file: 'agent.toml', baseDir: dir });
  assert.equal(ok.api?.signingKey, keys.secretKey);
  assert.equal(ok.api?.providerPubkey, keys.publicKey);
  assert.equal(ok.provisioner.type === 'proxmox' && ok.provisioner.tokenSecret, 'token-secret');
  assert.deepEqual(ok.warnings, []);

  const warned = parseAgentConfig(config(0o640), { file: 'agent.toml', baseDir: dir });
  assert.equal(warned.warnings.length, 1);
  assert.match(warned.warnings[0]!, /agent\.toml:11: provisioner\.proxmox\.api_token_secret_file: .* accessible to its group \(mode 0640\)/);

  const msg = errorsOf(config(0o644), { baseDir: dir });
  assert.match(msg, /agent\.toml:11: provisioner\.proxmox\.api_token_secret_file: .*pve-token is accessible to every user \(mode 0644\); run chmod 600/);
});

test("the seed's provider_secret_key may be a path to a key file", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-agent-config-'));
  writeFileSync(join(dir, 'key.json'), JSON.stringify({ secret_key: keys.secretKey }), { mode: 0o600 });
  const c = parseAgentConfig(`[api]\nendpoint = "http://x"\nprovider_secret_key = "key.json"\n[provisioner]\ntype = "manual"\n`, { baseDir: dir });
  assert.equal(c.api?.signingKey, keys.secretKey);
  assert.match(errorsOf(`[api]\nendpoint = "http://x"\nprovider_secret_key = "missing.key"\n[provisioner]\ntype = "manual"\n`, { baseDir: dir }), /agent\.toml:3: api\.provider_secret_key: cannot read .*missing\.key: ENOENT/);
});

test('script paths resolve against the config folder; cloud needs a known provider and a size', () => {
  const c = parseAgentConfig(`[provisioner]\ntype = "script"\n[provisioner.script]\nprovision = "bin/p.sh"\nterminate = "/abs/t.sh"\nmax_output_bytes = 4096\n`, { requireApi: false, baseDir: '/etc/ferry' });
  assert.deepEqual(c.provisioner, { type: 'script', provision: '/etc/ferry/bin/p.sh', terminate: '/abs/t.sh', timeoutSeconds: 300, maxOutputBytes: 4096, passEnv: [] });
  const msg = errorsOf(`[provisioner]\ntype = "cloud"\n[provisioner.cloud]\nprovider = "azure"\nregion = "fsn1"\n`, { requireApi: false, cloudProviders: ['hetzner', 'digitalocean'] });
  assert.match(msg, /agent\.toml:4: provisioner\.cloud\.provider: unknown provider "azure"; known: hetzner, digitalocean/);
  assert.match(msg, /agent\.toml:3: provisioner\.cloud\.default_size: give default_size or a size_map/);
  const cloud = parseAgentConfig(`[provisioner]\ntype = "cloud"\n[provisioner.cloud]\nprovider = "hetzner"\nregion = "fsn1"\nsize_map = { "off-1" = "cx22" }\n[provisioner.cloud.credentials]\ntoken = "t"\n`, { requireApi: false, cloudProviders: ['hetzner'] });
  assert.deepEqual(cloud.provisioner, { type: 'cloud', provider: 'hetzner', region: 'fsn1', sizeMap: { 'off-1': 'cx22' }, image: 'ubuntu-24.04', credentials: { token: 't' } });
});

test('intervals and timeouts too long for a timer are refused (Node would fire them at once, in a tight loop)', () => {
  const msg = errorsOf(`[polling]
health_check_interval_seconds = 3000000
reconcile_interval_seconds = 3000000

[provisioner]
type = "script"

[provisioner.script]
provision = "/p.sh"
terminate = "/t.sh"
timeout_seconds = 3000000
`, { requireApi: false });
  assert.match(msg, /agent\.toml:2: polling\.health_check_interval_seconds: must be at most/);
  assert.match(msg, /agent\.toml:3: polling\.reconcile_interval_seconds: must be at most/);
  assert.match(msg, /agent\.toml:11: provisioner\.script\.timeout_seconds: must be at most/);
});
