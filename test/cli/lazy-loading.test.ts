/**
 * What a run of `ferry` loads (the module tree the bundle is cut from: its lazy imports are the
 * bundle's chunks): --help only commander and the command declarations; a listing of
 * one provider only that provider's driver, and never PostgreSQL's client or the AWS SDK. Each
 * module the child loads is recorded by a module-loading hook (node:module register).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { UNBUNDLED_BIN as BIN, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.FERRY_TEST_LOADED, url + '\\n');
  return next(url, context);
}
`;

describe('what ferry loads', () => {
  let box: Sandbox;
  let register: string;
  let emu: TestEmulator;
  before(async () => {
    box = sandbox();
    writeFileSync(join(box.dir, 'hooks.mjs'), HOOKS);
    register = join(box.dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(box.dir, 'hooks.mjs')).href)});\n`);
    emu = await testEmulator({ providers: ['hetzner'] });
  });
  after(async () => {
    await emu.emu.close();
    box.cleanup();
  });

  let runs = 0;
  /** The URLs of the modules a run loaded, and its exit code. */
  async function loaded(args: string[], env: NodeJS.ProcessEnv = box.env): Promise<{ code: number | null; stderr: string; urls: string[] }> {
    const file = join(box.dir, `loaded-${++runs}.txt`);
    writeFileSync(file, '');
    const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], { env: { ...env, FERRY_TEST_LOADED: file }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    return { code, stderr, urls: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
  }

  const under = (urls: string[], part: string) => urls.filter((u) => u.includes(part));

  it('--help loads commander and the command declarations, no driver, store, HTTP client or emulator', async () => {
    const r = await loaded(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(under(r.urls, '/cli/commands/ls.js').length === 1, 'the command list loads every declaration');
    for (const part of ['/src/providers/', '/src/store/', '/src/transport/', '/src/emulator/', '/src/core/kit/', '/src/cli/run/', '/node_modules/pg/', '/node_modules/better-sqlite3/', '/node_modules/@aws-sdk/']) {
      assert.deepEqual(under(r.urls, part), [], `--help loaded ${part}`);
    }
  });

  it('a command\'s --help loads no implementation of any command', async () => {
    const r = await loaded(['ls', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(under(r.urls, '/cli/run/'), []);
  });

  it('ls of one provider loads that driver only, the SQLite store, and not PostgreSQL\'s client or the AWS SDK', async () => {
    const r = await loaded(['ls', '--provider', 'hetzner'], { ...box.env, ...emu.env });
    assert.equal(r.code, 0, r.stderr);
    const drivers = new Set(under(r.urls, '/src/providers/').filter((u) => !u.endsWith('/meta.js')).map((u) => /\/src\/providers\/([^/]+)\//.exec(u)?.[1]).filter(Boolean));
    assert.deepEqual([...drivers], ['hetzner']);
    assert.ok(under(r.urls, '/src/store/sqlite.js').length === 1);
    for (const part of ['/node_modules/pg/', '/node_modules/@aws-sdk/', '/node_modules/@smithy/', '/src/store/postgres.js', '/src/emulator/', '/node_modules/smol-toml/']) {
      assert.deepEqual(under(r.urls, part), [], `ls loaded ${part}`);
    }
  });

  it('each command is declared in the file of its name', async () => {
    for (const spec of COMMANDS) assert.equal(((await import(`../../src/cli/commands/${spec.name}.js`)) as { default: unknown }).default, spec);
  });
});
