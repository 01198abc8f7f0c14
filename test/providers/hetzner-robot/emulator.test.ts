/**
 * The emulated Robot webservice on its own: basic auth and error bodies, the order state machine
 * on the emulated clock, cancellation dates, and the rescue system's SSH endpoint (only root with
 * the activation's password, only after the reset, closed once no rescue system is up).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import ssh2 from 'ssh2';
import { startEmulator } from '../../../src/emulator/index.js';
import { formApi } from '../../contract/targets.js';
import { basic } from './contract-target.js';

async function emulator(t: import('node:test').TestContext) {
  const emu = await startEmulator({ providers: ['hetzner-robot'], timeScale: 1000, seed: 3 });
  t.after(() => emu.close());
  const url = emu.urls['hetzner-robot']!;
  return { url, api: formApi(url, basic('emu-pw')) };
}

/** One SSH exec as root; resolves with the exit code and output, or rejects (e.g. auth refused). */
function sshRun(endpoint: string, password: string, command: string): Promise<{ code: number | null; out: string }> {
  const [host, port] = [endpoint.split(':')[0]!, Number(endpoint.split(':')[1])];
  return new Promise((ok, fail) => {
    const c = new ssh2.Client();
    c.on('ready', () =>
      c.exec(command, (err, stream) => {
        if (err) return fail(err);
        let out = '';
        stream.on('data', (d: Buffer) => (out += d));
        stream.on('close', (code: number | null) => {
          c.end();
          ok({ code, out });
        });
      }),
    );
    c.on('error', fail);
    c.connect({ host, port, username: 'root', password, readyTimeout: 20_000, hostVerifier: () => true });
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((ok) => setTimeout(ok, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('hetzner-robot emulator: basic auth, Robot error bodies, 404 for unknown routes', async (t) => {
  const { url, api } = await emulator(t);
  const none = await fetch(`${url}/server`);
  assert.equal(none.status, 401);
  assert.deepEqual(await none.json(), { error: { status: 401, code: 'UNAUTHORIZED', message: 'Unauthorized' } });
  assert.equal((await formApi(url, basic('invalid-x')).call('GET', '/key')).status, 401);
  const empty = await api.call('GET', '/server');
  assert.equal(empty.status, 404);
  assert.equal(empty.body.error.code, 'SERVER_NOT_FOUND');
  const missing = await api.call('POST', '/order/server/transaction', { product_id: 'EX44', location: 'XXX1', dist: 'Debian 12 base', lang: 'en', password: 'p' });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body.error.invalid, ['location']);
  assert.equal((await api.call('GET', '/nope')).body.error.status, 404);
});

test('hetzner-robot emulator: a transaction is in process, then ready with a server number; cancellation keeps the server until its date', async (t) => {
  const { api } = await emulator(t);
  const tx = await api.call('POST', '/order/server/transaction', { product_id: 'AX42', location: 'HEL1', dist: 'Debian 12 base', lang: 'en', password: 'p' });
  assert.equal(tx.status, 201);
  assert.equal(tx.body.transaction.status, 'in process');
  assert.equal(tx.body.transaction.server_number, null);
  const n = await waitFor('delivery', async () => (await api.call('GET', `/order/server/transaction/${tx.body.transaction.id}`)).body.transaction.server_number ?? undefined);
  const c0 = (await api.call('GET', `/server/${n}/cancellation`)).body.cancellation;
  assert.equal(c0.cancelled, false);
  assert.equal((await api.call('POST', `/server/${n}/cancellation`, { cancellation_date: '2000-01-01' })).status, 400, 'before the earliest date');
  const c = await api.call('POST', `/server/${n}/cancellation`, { cancellation_date: c0.earliest_cancellation_date, reserve_location: 'false' });
  assert.equal(c.status, 201);
  assert.equal(c.body.cancellation.cancellation_date, c0.earliest_cancellation_date);
  assert.equal((await api.call('GET', `/server/${n}`)).body.server.cancelled, true, 'still there until the date');
});

test('hetzner-robot emulator: the rescue SSH endpoint takes only root with the password of a rescue that was reset into', async (t) => {
  const { url, api } = await emulator(t);
  const tx = await api.call('POST', '/order/server/transaction', { product_id: 'EX44', location: 'FSN1', dist: 'Debian 12 base', lang: 'en', password: 'p' });
  const n = await waitFor('delivery', async () => (await api.call('GET', `/order/server/transaction/${tx.body.transaction.id}`)).body.transaction.server_number ?? undefined);
  const res = await fetch(`${url}/boot/${n}/rescue`, { method: 'POST', headers: { authorization: basic('emu-pw'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'os=linux' });
  const endpoint = res.headers.get('x-emulator-rescue-ssh')!;
  const { rescue } = (await res.json()) as { rescue: { password: string; active: boolean } };
  assert.match(endpoint, /^127\.0\.0\.1:\d+$/);
  assert.equal(rescue.active, true);
  await assert.rejects(sshRun(endpoint, rescue.password, 'true'), /authentication/i, 'not booted into rescue before the reset');
  assert.equal((await api.call('POST', `/reset/${n}`, { type: 'hw' })).status, 200);
  await assert.rejects(sshRun(endpoint, 'wrong-password', 'true'), /authentication/i);
  assert.deepEqual(await sshRun(endpoint, rescue.password, 'uname -a'), { code: 0, out: 'rescue\n' });
  assert.equal((await sshRun(endpoint, rescue.password, 'rm -rf /')).code, 127);
  const log = await api.call('GET', `/_emulator/rescue-log/${n}`);
  assert.deepEqual(log.body, { commands: ['uname -a', 'rm -rf /'], chainloaded: null });
});
