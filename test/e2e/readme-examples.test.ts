/**
 * The README's code blocks, executed: the library example (run against the package's built entry,
 * as a user's script importing 'ferry' would), every `ferry …` line of its shell blocks (the built
 * CLI, a clean HOME, the emulator standing in for the providers and the operator's Proxmox), and
 * every agent.toml block through the agent's own parser. A command that can neither run here nor is
 * in the short list below with its reason fails the test, so the docs stay runnable.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAgentConfig } from '../../src/agent/config.js';
import { emulatorEnv } from '../../src/cli/emulator-env.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ProxmoxClient } from '../../src/providers/proxmox/index.js';
import { withDefaults } from '../../src/providers/registry.js';
import { BIN, sandbox, type Sandbox } from '../cli/helpers.js';
import { spawnFerry, type FerryProcess } from './support/cli-processes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZlcnJ5dGVzdGtleWZlcnJ5dGVzdGtleWZlcnJ5dGVzdA requester@laptop';
const TIME_SCALE = 1000;

/** Commands that cannot run in a test, each with the reason. Everything else must run. */
const NOT_RUNNABLE_HERE = new Map([
  ['npm install', 'installs the dependencies from the registry'],
  ['npm start', 'builds, then `ferry demo`, which has its own test'],
  ['npm test', 'the whole suite, this test included'],
]);
/** Who runs a market command: the README says `keys generate` is run as the provider, then as the requester. */
const ROLE: Record<string, 'provider' | 'requester' | 'both'> = { keys: 'both', offering: 'provider', agent: 'provider', contract: 'requester' };
/** Commands that keep running, with what they print once they serve. */
const BACKGROUND: Record<string, RegExp> = { server: /listening on http/, 'agent run': /ferry-agent\/\S+: / };
/** What a person at the terminal would answer (stdin is not a terminal here). */
const TERMINAL_ANSWERS: Record<string, string[]> = { destroy: ['--yes'] };
/** Values a command prints that later lines refer to by placeholder. */
const LEARN: { placeholder: string; pattern: RegExp }[] = [
  { placeholder: '<offering-id>', pattern: /^offering ([0-9a-f]+) published/m },
  { placeholder: '<id>', pattern: /^contract\s+([0-9a-f]{64})$/m },
  { placeholder: '<name>', pattern: /^(\S+)\s+hetzner\s+\d+\s/m },
  { placeholder: '<hex>', pattern: /^public key\s+([0-9a-f]{64})$/m },
  { placeholder: '/etc/ferry/provider.key', pattern: /^key file\s+(\S+)$/m },
];

interface Block {
  lang: string;
  body: string;
}

const blocks: Block[] = [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));

/** One shell line to words: double and single quotes, `~/` as HOME; a `#` after a blank starts a comment. */
function words(line: string, home: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== null) out.push(word);
      word = null;
    } else if (ch === '#' && word === null) {
      break;
    } else {
      word = (word ?? '') + (ch === '~' && word === null && line[i + 1] === '/' ? home : ch);
    }
  }
  assert.equal(quote, null, `unbalanced quote in README line: ${line}`);
  if (word !== null) out.push(word);
  return out;
}

/** The commands of a shell block: continuation lines joined, `&&` chains split, comments dropped. */
function commands(body: string): string[] {
  return body
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .flatMap((l) => l.split(/\s&&\s/))
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ providers: ['hetzner', 'proxmox'], timeScale: TIME_SCALE, seed: 3 });
});
after(() => emulator.close());

test('the README has the blocks this test knows how to run', () => {
  const langs = new Set(blocks.map((b) => b.lang));
  for (const lang of langs) assert.ok(['sh', 'ts', 'toml', ''].includes(lang), `a README block in "${lang}": teach this test to run it`);
  assert.ok(blocks.some((b) => b.lang === 'ts'), 'the library example');
  assert.ok(blocks.filter((b) => b.lang === 'sh').length >= 3);
});

test('the library example runs against the built package and exits by itself', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  const box = sandbox();
  try {
    for (const [i, b] of blocks.filter((x) => x.lang === 'ts').entries()) {
      const file = join(box.dir, `readme-example-${i}.mjs`);
      writeFileSync(file, b.body.replaceAll("from 'ferry'", `from '${pathToFileURL(join(ROOT, pkg.main)).href}'`));
      const r = await new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [file], { env: box.env, cwd: box.dir, timeout: 30_000 });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code, signal) => resolve({ code, signal, out }));
      });
      assert.equal(r.signal, null, `the example did not exit on its own (killed after 30 s):\n${r.out}`);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /web-1 is active at \d+\.\d+\.\d+\.\d+/);
    }
  } finally {
    box.cleanup();
  }
});

test('every agent.toml block is read by the agent without a complaint', () => {
  const tomls = blocks.filter((b) => b.lang === 'toml');
  assert.ok(tomls.length >= 4, 'the full example and one per other provisioner');
  const providers = withDefaults().registeredProviders();
  for (const b of tomls) {
    // The full example names secret files on the operator's machine; the fragments have no [api].
    const source = b.body.replace(/^provider_secret_key_file = .*$/m, `provider_secret_key = "${'1'.repeat(64)}"`).replace(/^provider_pubkey = .*$/m, '').replace(/^api_token_secret_file = .*$/m, 'api_token_secret = "s"');
    const config = parseAgentConfig(source, { requireApi: false, cloudProviders: providers, baseDir: ROOT });
    assert.deepEqual(config.warnings, [], b.body);
  }
});

test('every shell command of the README runs against the emulator, or is listed with why it cannot', async () => {
  const port = await freePort();
  const ran: string[] = [];
  for (const b of blocks.filter((x) => x.lang === 'sh')) {
    const box: Sandbox = sandbox();
    const background: FerryProcess[] = [];
    const learned = new Map<string, string>([['8080', String(port)], ['…', 'emulator-token']]);
    const subst = (text: string): string => {
      let out = text;
      for (const [from, to] of learned) out = out.replaceAll(from, to);
      return out;
    };
    const base: NodeJS.ProcessEnv = { ...box.env, FERRY_TIME_SCALE: String(TIME_SCALE), ...emulatorEnv(emulator, withDefaults(), ['hetzner']) };
    const envs: Record<'provider' | 'requester', NodeJS.ProcessEnv> = { provider: { ...base }, requester: { ...base, FERRY_KEY_FILE: join(box.dir, 'requester.key') } };
    mkdirSync(join(box.dir, '.ssh'));
    writeFileSync(join(box.dir, '.ssh', 'id_ed25519.pub'), `${SSH_KEY}\n`);
    try {
      for (const raw of commands(b.body)) {
        const line = subst(raw);
        const argv = words(line, box.dir);
        if (NOT_RUNNABLE_HERE.has(argv.join(' '))) continue;
        if (argv[0] === 'export') {
          const [name, ...value] = argv[1]!.split('=');
          for (const env of Object.values(envs)) env[name!] = value.join('=');
          continue;
        }
        const args = argv[0] === 'npx' && argv[1] === 'ferry' ? argv.slice(2) : argv[0] === 'ferry' ? argv.slice(1) : null;
        assert.ok(args, `README command "${raw}" is neither runnable here nor listed in NOT_RUNNABLE_HERE with a reason`);
        const unresolved = args.find((a) => /<[a-z-]+>|…/.test(a));
        assert.equal(unresolved, undefined, `README command "${raw}": no value known for ${unresolved}`);
        const role = ROLE[args[0]!] ?? 'provider';
        const key = args[0] === 'agent' ? `agent ${args[1]}` : args[0]!;
        if (key === 'agent run') writeAgentToml(b, box.dir, subst);
        ran.push(key === 'agent run' || args[0] === 'contract' || args[0] === 'keys' ? `${args[0]} ${args[1]}` : args[0]!);
        const ready = BACKGROUND[key];
        if (ready) {
          const p = spawnFerry(args, envs[role === 'both' ? 'provider' : role], box.dir);
          background.push(p);
          await p.waitFor(ready);
          continue;
        }
        for (const who of role === 'both' ? (['provider', 'requester'] as const) : [role]) {
          const r = await run([...args, ...(TERMINAL_ANSWERS[args[0]!] ?? [])], envs[who], box.dir);
          assert.equal(r.code, 0, `README command "${raw}" (as ${who}) exited ${r.code}:\n${r.out}`);
          // The requester's key output must not stand in for the provider's.
          if (who === 'provider' || args[0] !== 'keys') for (const l of LEARN) learnFrom(l, r.out, learned);
        }
      }
    } finally {
      for (const p of background.reverse()) assert.equal(await p.stop(), 0, `a README background command did not stop cleanly:\n${p.output()}`);
      box.cleanup();
    }
  }
  for (const c of ['doctor', 'offers', 'deploy', 'ls', 'destroy', 'server', 'keys generate', 'offering', 'agent run', 'contract create', 'contract credentials', 'contract cancel']) {
    assert.ok(ran.includes(c), `the README no longer runs ${c}? ran: ${ran.join(', ')}`);
  }
  // What the commands made is gone again: the server `ferry destroy` removed, the VM the agent removed on `contract cancel`.
  const servers = (await (await fetch(`${emulator.urls.hetzner}/v1/servers`, { headers: { authorization: 'Bearer t' } })).json()) as { servers: unknown[] };
  assert.deepEqual(servers.servers, []);
  const pve = new ProxmoxClient({ url: emulator.urls.proxmox!, tokenId: 'root@pam!ferry', tokenSecret: 'emulator-secret' });
  assert.deepEqual((await pve.listVms('pve1')).filter((v) => !v.template).map((v) => v.vmid), []);
});

function learnFrom(l: { placeholder: string; pattern: RegExp }, out: string, learned: Map<string, string>): void {
  const m = l.pattern.exec(out);
  if (m) learned.set(l.placeholder, m[1]!);
}

/** The README's full agent.toml, with the operator's machine (Proxmox, secret files) standing in as the emulator and the sandbox. */
function writeAgentToml(b: Block, dir: string, subst: (t: string) => string): void {
  const full = blocks.find((x) => x.lang === 'toml' && x.body.includes('[api]'));
  assert.ok(full, `"ferry agent run --config agent.toml" in ${b.body.slice(0, 40)}…: the README has no full agent.toml`);
  const secret = join(dir, 'pve.secret');
  writeFileSync(secret, 'emulator-secret\n', { mode: 0o600 });
  const body = subst(full.body).replaceAll('https://pve.example:8006', emulator.urls.proxmox!).replaceAll('/etc/ferry/pve.secret', secret);
  assert.doesNotMatch(body, /\/etc\/ferry|<[a-z-]+>/, 'every path and value of the README agent.toml is known here');
  writeFileSync(join(dir, 'agent.toml'), body, { mode: 0o600 });
}
