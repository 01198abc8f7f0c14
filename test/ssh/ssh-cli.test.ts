/**
 * End to end on the emulator: deploy --wait cloud-init with user data that writes a file, then
 * `ferry ssh` through the real /usr/bin/ssh prints it; a changed host key is refused; a failing
 * cloud-init is exit 3 with its output.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { keyPair } from './keys.js';
import { FAIL_CLOUD_INIT_MARKER } from '../../src/emulator/index.js';
import { parseJson, runCli, sandbox, testEmulator, type Sandbox, type TestEmulator } from '../cli/helpers.js';

const hasSsh = existsSync('/usr/bin/ssh');

describe('ferry deploy --wait and ferry ssh on the emulator', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let env: NodeJS.ProcessEnv;
  let keyPath: string;
  before(async () => {
    box = sandbox();
    t = await testEmulator({ providers: ['hetzner', 'digitalocean'] });
    env = { ...box.env, ...t.env, XDG_STATE_HOME: join(box.dir, 'state') };
    const pair = keyPair('ferry-test');
    keyPath = join(box.dir, 'id_test');
    writeFileSync(keyPath, pair.private, { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    writeFileSync(`${keyPath}.pub`, pair.public + '\n');
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  const userData = (extra = '') => `#cloud-config\n${extra}write_files:\n  - path: /etc/motd-ferry\n    content: |\n      hello from cloud-init\n`;

  it('waits for cloud-init, then ferry ssh -- cat prints the file it wrote', { skip: hasSsh ? false : 'no /usr/bin/ssh' }, async () => {
    const ud = join(box.dir, 'ok.yaml');
    writeFileSync(ud, userData());
    const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'web-ssh', '--ssh-key', `${keyPath}.pub`, '--user-data', ud, '--wait', 'cloud-init', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(parseJson<{ waited: string }>(r.stdout).waited, 'cloud-init');
    const known = join(box.dir, 'state', 'ferry', 'known_hosts');
    assert.equal(statSync(known).mode & 0o777, 0o600);
    assert.match(readFileSync(known, 'utf8'), /^ferry\.hetzner\.\d+\.49\.\S+ ssh-ed25519 \S+$/m);

    const s = await runCli(['ssh', 'web-ssh', '-o', 'BatchMode=yes', '--', 'cat', '/etc/motd-ferry'], env);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.stdout, 'hello from cloud-init\n');
    const h = await runCli(['ssh', 'web-ssh', '-o', 'BatchMode=yes', '--', 'hostname'], env);
    assert.equal(h.stdout, 'web-ssh\n', h.stderr);
    const missing = await runCli(['ssh', 'web-ssh', '-o', 'BatchMode=yes', '--', 'rm', '-rf', '/'], env);
    assert.equal(missing.code, 127);
  });

  it('refuses a changed host key', { skip: hasSsh ? false : 'no /usr/bin/ssh' }, async () => {
    const known = join(box.dir, 'state', 'ferry', 'known_hosts');
    const other = ssh2.utils.parseKey(keyPair().public);
    assert.ok(!(other instanceof Error));
    const blob = (Array.isArray(other) ? other[0] : other).getPublicSSH().toString('base64');
    const before = readFileSync(known, 'utf8');
    writeFileSync(known, before.replace(/ssh-ed25519 \S+/, `ssh-ed25519 ${blob}`));
    const r = await runCli(['ssh', 'web-ssh', '-o', 'BatchMode=yes', '--', 'true'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /host key .* differs/);
    // ssh itself refuses it too, with ferry's file and strict checking.
    writeFileSync(known, before);
  });

  it('reports a failing cloud-init with its output and exit 3', async () => {
    const ud = join(box.dir, 'fail.yaml');
    writeFileSync(ud, userData(`${FAIL_CLOUD_INIT_MARKER}\n`));
    const r = await runCli(['deploy', '--provider', 'digitalocean', '--size', 's-1vcpu-1gb', '--region', 'nyc3', '--name', 'bad-init', '--ssh-key', `${keyPath}.pub`, '--user-data', ud, '--wait', 'cloud-init'], env);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /cloud-init reported "error"/);
    assert.match(r.stderr, /status: error/);
    assert.match(r.stderr, /emulated failure/);
  });

  it('deploy --count waits for cloud-init on every server, and reports each one whose cloud-init failed (exit 3)', async () => {
    const ok = join(box.dir, 'fleet-ok.yaml');
    writeFileSync(ok, userData());
    const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'fl', '--count', '3', '--ssh-key', `${keyPath}.pub`, '--user-data', ok, '--wait', 'cloud-init', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = parseJson<{ waited: string; servers: { name: string; rootPassword?: string }[] }>(r.stdout);
    assert.equal(out.waited, 'cloud-init');
    assert.deepEqual(out.servers.map((x) => x.name).sort(), ['fl-1', 'fl-2', 'fl-3']);
    assert.ok(out.servers.every((x) => x.rootPassword === undefined), 'a key was given: no password');
    const bad = join(box.dir, 'fleet-bad.yaml');
    writeFileSync(bad, userData(`${FAIL_CLOUD_INIT_MARKER}\n`));
    const failing = await runCli(['deploy', '--provider', 'digitalocean', '--size', 's-1vcpu-1gb', '--region', 'nyc3', '--name', 'flbad', '--count', '2', '--ssh-key', `${keyPath}.pub`, '--user-data', bad, '--wait', 'cloud-init', '--json'], env);
    assert.equal(failing.code, 3, failing.stderr);
    const failed = parseJson<{ cloudInitFailed: { name: string; status: string; output: string }[] }>(failing.stdout).cloudInitFailed;
    assert.deepEqual(failed.map((f) => [f.name, f.status]).sort(), [['flbad-1', 'error'], ['flbad-2', 'error']]);
    assert.ok(failed.every((f) => /emulated failure/.test(f.output)));
  });

  it('deploy --count without a key shows each generated root password once, and logs in with it for --wait ssh', async () => {
    const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'flpw', '--count', '2', '--wait', 'ssh'], env);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trim().split('\n');
    assert.match(rows[0]!, /ROOT PW$/);
    const passwords = rows.slice(1).map((l) => l.trim().split(/\s+/).at(-1)!);
    assert.equal(passwords.length, 2);
    assert.ok(passwords.every((p) => p.length >= 8 && p !== '-'), rows.join('\n'));
    assert.notEqual(passwords[0], passwords[1]);
    assert.match(r.stderr, /2 of 2 answer SSH/);
    assert.match(r.stderr, /shown once and ferry does not store them/);
    for (const file of [box.dbPath, `${box.dbPath}-wal`].filter((f) => existsSync(f))) {
      assert.ok(!readFileSync(file).includes(Buffer.from(passwords[0]!)), `never stored (${file})`);
    }
  });

  it('--wait ssh without a key waits for the banner only; a bad stage is exit 2 before any create', async () => {
    const r = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--name', 'pw-only', '--wait', 'ssh', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const bad = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1', '--wait', 'forever'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--wait forever[\s\S]*cloud-init/);
  });
});
