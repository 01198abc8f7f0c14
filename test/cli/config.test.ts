import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseJson, runCli, sandbox, type Sandbox } from './helpers.js';

describe('ferry config and credentials', () => {
  let box: Sandbox;
  before(() => (box = sandbox()));
  after(() => box.cleanup());

  it('set-credentials writes the file with mode 0600 in a 0700 directory', async () => {
    const r = await runCli(['config', 'set-credentials', 'hetzner', '--token', 'file-token-1234'], box.env);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(box.dir, 'config', 'ferry');
    const file = join(dir, 'credentials.toml');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.match(readFileSync(file, 'utf8'), /\[hetzner\][\s\S]*token = "file-token-1234"/);
    assert.ok(!r.stdout.includes('file-token-1234'));
  });

  it('reads the secret from stdin, and show masks it', async () => {
    const r = await runCli(['config', 'set-credentials', 'digitalocean', '--stdin'], box.env, 'stdin-token-5678\n');
    assert.equal(r.code, 0, r.stderr);
    const show = await runCli(['config', 'show', '--json'], box.env);
    assert.equal(show.code, 0, show.stderr);
    assert.ok(!show.stdout.includes('stdin-token-5678') && !show.stdout.includes('file-token-1234'), 'secrets must be masked');
    const data = parseJson<{ providers: { provider: string; configured: boolean; fields: { key: string; source: string | null }[] }[] }>(show.stdout);
    const hetzner = data.providers.find((p) => p.provider === 'hetzner')!;
    assert.equal(hetzner.configured, true);
    assert.equal(hetzner.fields.find((f) => f.key === 'token')?.source, 'file');
  });

  it('environment variables win over the file', async () => {
    const show = await runCli(['config', 'show', '--json'], { ...box.env, HCLOUD_TOKEN: 'env-token' });
    const data = parseJson<{ providers: { provider: string; fields: { key: string; source: string | null }[] }[] }>(show.stdout);
    assert.equal(data.providers.find((p) => p.provider === 'hetzner')!.fields[0]!.source, 'env');
  });

  it('without a terminal and without values it refuses to prompt (exit 2)', async () => {
    const r = await runCli(['config', 'set-credentials', 'proxmox'], box.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /stdin is not a terminal/);
  });

  it('a command needing a provider says which variables, which config call, and how to use the emulator', async () => {
    const empty = sandbox();
    try {
      const r = await runCli(['ls'], empty.env);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^error: no provider has credentials configured/m);
      assert.match(r.stderr, /HCLOUD_TOKEN/);
      assert.match(r.stderr, /DIGITALOCEAN_TOKEN/);
      assert.match(r.stderr, /ferry config set-credentials/);
      assert.match(r.stderr, /ferry emulator/);
      assert.match(r.stderr, /FERRY_HETZNER_ENDPOINT/);
      const one = await runCli(['deploy', '--provider', 'hetzner', '--size', 'cx22', '--region', 'fsn1'], empty.env);
      assert.equal(one.code, 2);
      assert.match(one.stderr, /no Hetzner Cloud credentials: HCLOUD_TOKEN not set/);
      assert.match(one.stderr, /ferry config set-credentials hetzner/);
      assert.match(one.stderr, /FERRY_HETZNER_ENDPOINT=<its hetzner URL> HCLOUD_TOKEN=anything/);
      assert.doesNotMatch(one.stderr, /at .*\.js:\d+/, 'no stack trace');
      const placed = await runCli(['deploy', '--min-cpu', '2'], empty.env);
      assert.equal(placed.code, 2);
      assert.match(placed.stderr, /^error: no provider has credentials configured, and `ferry deploy` needs one/m);
      assert.match(placed.stderr, /ferry demo/);
    } finally {
      empty.cleanup();
    }
  });
  it('credentials.toml follows the secret-file rule: world-readable refused, group-readable and unknown keys warned, parse errors give the line', async () => {
    const own = sandbox();
    try {
      const dir = join(own.dir, 'config', 'ferry');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, 'credentials.toml');
      const write = (text: string, mode: number) => {
        writeFileSync(file, text);
        chmodSync(file, mode);
      };
      write('[hetzner]\ntoken = "file-token-1234"\n', 0o644);
      const open = await runCli(['config', 'show'], own.env);
      assert.equal(open.code, 2, open.stderr);
      assert.match(open.stderr, /credentials\.toml is accessible to every user \(mode 0644\); run chmod 600 on it/);
      assert.ok(!open.stderr.includes('file-token-1234'));

      write('[hetzner]\ntokn = "file-token-1234"\n[hetzenr]\ntoken = "x"\n[proxmox]\nverifyTls = false\n', 0o640);
      const warned = await runCli(['config', 'show', '--json'], own.env);
      assert.equal(warned.code, 0, warned.stderr);
      assert.match(warned.stderr, /warning: .*credentials\.toml is accessible to its group \(mode 0640\)/);
      assert.match(warned.stderr, /unknown key "tokn" in \[hetzner\] is ignored; valid keys: token, endpoint/);
      assert.match(warned.stderr, /unknown provider \[hetzenr\] is ignored; known: .*hetzner/);
      const shown = parseJson<{ providers: { provider: string; fields: { key: string; source: string | null }[] }[] }>(warned.stdout);
      assert.equal(shown.providers.find((p) => p.provider === 'proxmox')!.fields.find((f) => f.key === 'verifyTls')?.source, 'file', 'a TOML boolean is read');

      write('[hetzner]\ntoken = "a"\nregion = \n', 0o600);
      const broken = await runCli(['config', 'show'], own.env);
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /credentials\.toml is not valid TOML at line 3, column \d+/);
    } finally {
      own.cleanup();
    }
  });
});
