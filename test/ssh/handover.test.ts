/** ferry's known_hosts, the SSH map from the environment, the login user per image and the ssh argv. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { keyPair } from './keys.js';
import { UserError } from '../../src/core/errors.js';
import { checkHostKey, defaultLoginUser, endpointsFromEnv, formatHostKey, hostAlias, knownHostsPath, recordedHostKeys, sshArgv, sshEndpointFor } from '../../src/ssh/index.js';

const blobOf = (pub: string) => {
  const k = ssh2.utils.parseKey(pub);
  if (k instanceof Error) throw k;
  return (Array.isArray(k) ? k[0] : k).getPublicSSH();
};

describe('known hosts', () => {
  it('records the first key (0600), accepts it again, and calls another one changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-kh-'));
    try {
      const file = knownHostsPath({ XDG_STATE_HOME: dir });
      assert.equal(file, join(dir, 'ferry', 'known_hosts'));
      const alias = hostAlias('hetzner', '42', '49.13.0.1');
      const a = blobOf(keyPair().public);
      const b = blobOf(keyPair().public);
      assert.equal(checkHostKey(file, alias, a), 'new');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(checkHostKey(file, alias, a), 'match');
      assert.equal(checkHostKey(file, alias, b), 'changed');
      assert.deepEqual(recordedHostKeys(file, alias), [formatHostKey(a)]);
      assert.match(formatHostKey(a), /^ssh-ed25519 [A-Za-z0-9+/=]+$/);
      // Another instance at the same address is another entry.
      assert.equal(checkHostKey(file, hostAlias('hetzner', '43', '49.13.0.1'), b), 'new');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('aliases keep only characters safe in a known_hosts host field', () => {
    assert.equal(hostAlias('proxmox', 'pve/qemu 101', '2001:db8::1'), 'ferry.proxmox.pve_qemu_101.2001_db8__1');
  });
});

describe('SSH endpoints from FERRY_SSH_ENDPOINTS', () => {
  it('maps listed addresses, "*" covers the rest, and bad values are a UserError', async () => {
    const env = { FERRY_SSH_ENDPOINTS: JSON.stringify({ '203.0.1.2': '127.0.0.1:2201', '*': '[::1]:2222' }) };
    assert.deepEqual(await sshEndpointFor('203.0.1.2', { env }), { host: '127.0.0.1', port: 2201 });
    assert.deepEqual(await sshEndpointFor('203.0.9.9', { env }), { host: '::1', port: 2222 });
    assert.deepEqual(await sshEndpointFor('203.0.9.9', { env: {} }), { host: '203.0.9.9', port: 22 });
    assert.throws(() => endpointsFromEnv({ FERRY_SSH_ENDPOINTS: '{' }), UserError);
    assert.throws(() => endpointsFromEnv({ FERRY_SSH_ENDPOINTS: '{"1.2.3.4":"nope"}' }), /not host:port/);
  });
});

describe('login user and ssh argv', () => {
  it('root where the provider sets it up, the distro user elsewhere', () => {
    assert.equal(defaultLoginUser('hetzner', 'ubuntu-24.04'), 'root');
    assert.equal(defaultLoginUser('digitalocean', 'debian-12-x64'), 'root');
    assert.equal(defaultLoginUser('proxmox', 'ubuntu-24.04'), 'ubuntu');
    assert.equal(defaultLoginUser('proxmox', 'debian-12'), 'debian');
    assert.equal(defaultLoginUser('aws', 'debian-12'), 'admin');
    assert.equal(defaultLoginUser('aws', 'al2023'), 'ec2-user');
    assert.equal(defaultLoginUser('proxmox', null), 'root');
  });

  it('hands ssh ferry\'s known_hosts with strict checking, the alias, port, user, identity and the command', () => {
    const argv = sshArgv({ endpoint: { host: '127.0.0.1', port: 40022 }, user: 'root', knownHostsFile: '/s/known_hosts', alias: 'ferry.hetzner.1.49.13.0.1', identity: '/k/id', command: ['cat', '/etc/x'], options: ['BatchMode=yes'] });
    assert.deepEqual(argv, ['-o', 'UserKnownHostsFile=/s/known_hosts', '-o', 'StrictHostKeyChecking=yes', '-o', 'HostKeyAlias=ferry.hetzner.1.49.13.0.1', '-p', '40022', '-l', 'root', '-i', '/k/id', '-o', 'BatchMode=yes', '127.0.0.1', '--', 'cat', '/etc/x']);
  });
});
