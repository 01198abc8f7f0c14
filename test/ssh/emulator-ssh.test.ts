/** The emulator's SSH endpoints, driven through ferry's own waits (ssh2 on both sides). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { keyPair } from './keys.js';
import { createEmulatedSsh, writtenFiles, FAIL_CLOUD_INIT_MARKER } from '../../src/emulator/engine/index.js';
import { exec, waitForCloudInit, waitForSsh, waitUsable, CloudInitFailed, HostKeyChanged, parseCloudInitStatus } from '../../src/ssh/waits.js';
import { sshEndpointFor, type SshEndpoint } from '../../src/ssh/endpoints.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const SCALE = 1000;
const key = keyPair();
const stranger = keyPair();
const opts = (endpoint: SshEndpoint, login: { username: string; privateKey?: string; password?: string }) => ({ endpoint, login, sshConnectMs: 60_000, cloudInitMs: 60_000, pollIntervalMs: 10, attemptMs: 10_000 });

describe('emulated SSH endpoints', () => {
  // A clock the test moves by hand: no assertion depends on wall time.
  let nowMs = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => nowMs, iso: (ms?: number) => new Date(ms ?? nowMs).toISOString(), scale: SCALE };
  const ssh = createEmulatedSsh(clock, { bootMs: 40_000 });
  after(() => ssh.close());
  const endpointOf = async (ip: string): Promise<SshEndpoint> => {
    const [host, port] = (await ssh.endpoints())[ip]!.split(':');
    return { host: host!, port: Number(port) };
  };

  it('cuts connections until the server has booted, then answers; accepts only its keys', async () => {
    ssh.register({ ip: '10.0.0.1', authorizedKeys: [key.public], bootedAtMs: clock.now() + 20_000, userData: null });
    const endpoint = await endpointOf('10.0.0.1');
    const early = await waitForSsh({ ...opts(endpoint, { username: 'root' }), sshConnectMs: 1 }).catch((e: Error) => e);
    assert.match(String(early), /did not finish/, 'booting: no SSH yet');
    nowMs += 20_000;
    const client = await waitForSsh(opts(endpoint, { username: 'root', privateKey: key.private }));
    assert.ok(client, 'the key is accepted once booted');
    assert.deepEqual(await exec(client, 'hostname'), { code: 0, stdout: 'emu-10-0-0-1\n', stderr: '' });
    assert.equal((await exec(client, 'reboot')).code, 127);
    client.end();
    const refused = await waitForSsh({ ...opts(endpoint, { username: 'root', privateKey: stranger.private }), sshConnectMs: 200 }).catch((e: Error) => e);
    assert.match(String(refused), /ssh login as root/);
    const wrongUser = await waitForSsh({ ...opts(endpoint, { username: 'admin', privateKey: key.private }), sshConnectMs: 200 }).catch((e: Error) => e);
    assert.ok(wrongUser instanceof Error);
  });

  it('accepts the root password the provider set', async () => {
    ssh.register({ ip: '10.0.0.2', authorizedKeys: [], password: 'emu-secret', bootedAtMs: clock.now() });
    const endpoint = await endpointOf('10.0.0.2');
    const client = await waitForSsh(opts(endpoint, { username: 'root', password: 'emu-secret' }));
    assert.ok(client);
    client.end();
    const bad = await waitForSsh({ ...opts(endpoint, { username: 'root', password: 'guess' }), sshConnectMs: 200 }).catch((e: Error) => e);
    assert.ok(bad instanceof Error);
  });

  it('reports cloud-init running then done, and serves the files it wrote', async () => {
    const userData = '#cloud-config\nwrite_files:\n  - path: /etc/a\n    content: alpha\n  - path: /etc/b\n    encoding: b64\n    content: YmV0YQ==\n';
    ssh.register({ ip: '10.0.0.3', authorizedKeys: [key.public], userData, bootedAtMs: clock.now(), cloudInitMs: 30_000 });
    const client = (await waitForSsh(opts(await endpointOf('10.0.0.3'), { username: 'root', privateKey: key.private })))!;
    try {
      assert.equal(parseCloudInitStatus((await exec(client, 'cloud-init status')).stdout), 'running');
      assert.equal((await exec(client, 'cat /etc/a')).code, 1, 'not written before cloud-init ran');
      const progress: string[] = [];
      // Emulated time moves on once the wait has seen "running".
      const onProgress = (m: string) => {
        progress.push(m);
        nowMs += 30_000;
      };
      assert.equal(await waitForCloudInit(client, { cloudInitMs: 60_000, pollIntervalMs: 5, onProgress }), 'done');
      assert.deepEqual(progress, ['cloud-init: running']);
      assert.equal((await exec(client, 'cat /etc/a /etc/b')).stdout, 'alphabeta');
      assert.equal((await exec(client, 'cloud-init status --wait')).stdout, 'status: done\n');
    } finally {
      client.end();
    }
  });

  it('a failing cloud-init is CloudInitFailed with the status and its log', async () => {
    ssh.register({ ip: '10.0.0.4', authorizedKeys: [key.public], userData: `#cloud-config\n${FAIL_CLOUD_INIT_MARKER}\n`, bootedAtMs: clock.now() });
    nowMs += 60_000; // past its cloud-init
    const err = await waitUsable('cloud-init', opts(await endpointOf('10.0.0.4'), { username: 'root', privateKey: key.private })).catch((e: unknown) => e);
    assert.ok(err instanceof CloudInitFailed);
    assert.equal(err.status, 'error');
    assert.match(err.output, /status: error[\s\S]*errors:[\s\S]*cloud-init-output\.log[\s\S]*emulated failure/);
  });

  it('a re-registered IP has a new host key, which a verifier refuses', async () => {
    ssh.register({ ip: '10.0.0.5', authorizedKeys: [], bootedAtMs: clock.now() });
    const seen: string[] = [];
    const first = opts(await endpointOf('10.0.0.5'), { username: 'root' });
    await waitForSsh({ ...first, verifyHostKey: (b) => (seen.push(b.toString('base64')), true) });
    ssh.register({ ip: '10.0.0.5', authorizedKeys: [], bootedAtMs: clock.now() });
    const second = opts(await endpointOf('10.0.0.5'), { username: 'root' });
    const err = await waitForSsh({ ...second, verifyHostKey: (b) => b.toString('base64') === seen[0] }).catch((e: unknown) => e);
    assert.ok(err instanceof HostKeyChanged, String(err));
  });

  it('unregister closes the port', async () => {
    const endpoint = await endpointOf('10.0.0.5');
    ssh.unregister('10.0.0.5');
    assert.equal((await ssh.endpoints())['10.0.0.5'], undefined);
    const err = await waitForSsh({ ...opts(endpoint, { username: 'root' }), sshConnectMs: 100 }).catch((e: unknown) => e);
    assert.ok(err instanceof Error);
  });
});

describe('write_files parsing', () => {
  it('ignores what is not a cloud-config document and entries without a path', () => {
    assert.equal(writtenFiles('#!/bin/sh\necho hi').size, 0);
    assert.equal(writtenFiles('#cloud-config\n: : bad yaml [').size, 0);
    assert.deepEqual([...writtenFiles('#cloud-config\nwrite_files:\n  - content: x\n  - path: /p\n').entries()], [['/p', '']]);
  });
});

describe('the emulator tells its SSH map on every API', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ providers: ['hetzner', 'digitalocean'], timeScale: SCALE });
  });
  after(() => emu.close());

  it('GET /__emulator/ssh lists a created server; ferry resolves its endpoint from it, deletion removes it', async () => {
    const h = emu.urls.hetzner!;
    const auth = { authorization: 'Bearer t', 'content-type': 'application/json' };
    const res = await fetch(`${h}/v1/servers`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'm1', server_type: 'cx22', image: 'ubuntu-24.04', location: 'fsn1' }) });
    assert.equal(res.status, 201);
    const created = (await res.json()) as { server: { id: number }; root_password: string };
    const server = await (await fetch(`${h}/v1/servers/${created.server.id}`, { headers: auth })).json() as { server: { public_net: { ipv4: { ip: string } | null } } };
    const maps = await Promise.all(Object.values(emu.urls).map(async (u) => (await fetch(`${u}/__emulator/ssh`)).json() as Promise<Record<string, string>>));
    const ips = Object.keys(maps[0]!);
    assert.equal(ips.length, 1);
    assert.deepEqual(maps[1], maps[0], 'every API answers the same map');
    if (server.server.public_net.ipv4) assert.equal(ips[0], server.server.public_net.ipv4.ip);
    const endpoint = await sshEndpointFor(ips[0]!, { providerEndpoint: h });
    assert.equal(`${endpoint.host}:${endpoint.port}`, maps[0]![ips[0]!]);
    // The root password Hetzner returned logs in once the server has booted.
    const client = await waitForSsh(opts(endpoint, { username: 'root', password: created.root_password }));
    client?.end();
    assert.ok(client);
    assert.deepEqual(await sshEndpointFor(ips[0]!, { providerEndpoint: 'https://api.hetzner.cloud/v1' }), { host: ips[0], port: 22 }, 'a real endpoint is never asked');
    await fetch(`${h}/v1/servers/${created.server.id}`, { method: 'DELETE', headers: auth });
    assert.deepEqual(await emu.sshEndpoints(), {});
  });
});
