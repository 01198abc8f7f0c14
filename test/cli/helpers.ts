/**
 * Runs the real `ferry` binary (dist/cli/ferry.js, the bundle npm ships) in a child process with its own HOME and
 * XDG directories, pointed at an emulator started in the test process. The child is spawned
 * asynchronously so the in-process emulator keeps answering while it runs.
 */
import { emulatorEnv } from '../../src/cli/emulator-env.js';
import { withDefaults } from '../../src/providers/registry.js';
import { spawn } from 'node:child_process';
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator, type EmulatorOptions, type Exchange } from '../../src/emulator/index.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(DIST, 'cli', 'ferry.js');
/** The module tree the bundle is built from, for tests of what a run loads. */
export const UNBUNDLED_BIN = join(DIST, 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A fresh home: HOME, XDG dirs and an explicit SQLite store path, no provider credentials. */
export interface Sandbox {
  dir: string;
  dbPath: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-test-'));
  const dbPath = join(dir, 'data', 'ferry.db');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    FERRY_DATABASE_URL: dbPath,
  };
  return { dir, dbPath, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestEmulator {
  emu: Emulator;
  exchanges: Exchange[];
  /** Environment pointing ferry at this emulator with valid tokens. */
  env: NodeJS.ProcessEnv;
}

export const TIME_SCALE = 1000;

/** Emulator at 1000× with small poll intervals; records every exchange for assertions. */
/**
 * Emulators for the given providers, with ferry configured for each (`configure`, default: the
 * providers asked for, or DigitalOcean and Hetzner when none were named).
 */
export async function testEmulator(o: EmulatorOptions & { configure?: string[] } = {}): Promise<TestEmulator> {
  const exchanges: Exchange[] = [];
  const { configure, ...options } = o;
  const emu = await startEmulator({ timeScale: TIME_SCALE, ...options, observe: (x) => exchanges.push(x) });
  const env: NodeJS.ProcessEnv = {
    FERRY_TIME_SCALE: String(TIME_SCALE),
    FERRY_POLL_INTERVAL_MS: '5',
    ...emulatorEnv(emu, withDefaults(), configure ?? o.providers ?? ['digitalocean', 'hetzner']),
  };
  return { emu, exchanges, env };
}

/** Creates the instance (POST to the server or droplet collection) requests seen. */
export function createRequests(exchanges: readonly Exchange[]): Exchange[] {
  return exchanges.filter((x) => x.method === 'POST' && /\/(servers|droplets)$/.test(x.path));
}

export function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`not JSON:\n${text}`);
  }
}

export interface CliWorld {
  box: Sandbox;
  t: TestEmulator;
  /** The sandbox's environment pointed at the emulator. */
  env: NodeJS.ProcessEnv;
}

/** A sandbox and an emulator for the tests of one describe block: made before them, removed after. */
export function cliWorld(o: EmulatorOptions & { configure?: string[] } = {}): CliWorld {
  const world = {} as CliWorld;
  before(async () => {
    world.box = sandbox();
    world.t = await testEmulator(o);
    world.env = { ...world.box.env, ...world.t.env };
  });
  after(async () => {
    await world.t.emu.close();
    world.box.cleanup();
  });
  return world;
}
