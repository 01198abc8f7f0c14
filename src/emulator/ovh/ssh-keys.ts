/**
 * /me/sshKey (me.json): the account's SSH keys. The one marked `default` is installed on a
 * dedicated server at delivery and on a reinstall that names no key, as OVH does.
 */
import type { Router } from '../engine/index.js';
import { ovhError } from './errors.js';

export interface SshKeyRec {
  keyName: string;
  key: string;
  default: boolean;
}

export class SshKeys {
  readonly keys = new Map<string, SshKeyRec>();

  defaultKey(): SshKeyRec | undefined {
    return [...this.keys.values()].find((k) => k.default);
  }
}

export function registerSshKeys(router: Router, keys: SshKeys): void {
  const wire = (k: SshKeyRec) => ({ keyName: k.keyName, key: k.key, default: k.default });
  router.on('GET', '/1.0/me/sshKey', () => ({ status: 200, body: [...keys.keys.keys()] }));
  router.on('GET', '/1.0/me/sshKey/:keyName', (req) => {
    const k = keys.keys.get(req.params.keyName ?? '');
    return k ? { status: 200, body: wire(k) } : ovhError(404, `The requested object (keyName = ${req.params.keyName}) does not exist`);
  });
  router.on('POST', '/1.0/me/sshKey', (req) => {
    const b = (req.body ?? {}) as { keyName?: unknown; key?: unknown };
    if (typeof b.keyName !== 'string' || !/^[\w.-]{1,64}$/.test(b.keyName)) return ovhError(400, 'Invalid keyName');
    if (typeof b.key !== 'string' || !/^(ssh-|ecdsa-)/.test(b.key.trim())) return ovhError(400, 'Invalid key');
    if (keys.keys.has(b.keyName)) return ovhError(409, `A key named ${b.keyName} already exists`);
    keys.keys.set(b.keyName, { keyName: b.keyName, key: b.key.trim(), default: false });
    return { status: 200, body: null };
  });
  router.on('PUT', '/1.0/me/sshKey/:keyName', (req) => {
    const k = keys.keys.get(req.params.keyName ?? '');
    if (!k) return ovhError(404, `The requested object (keyName = ${req.params.keyName}) does not exist`);
    const d = (req.body as { default?: unknown } | undefined)?.default;
    if (d === true) for (const other of keys.keys.values()) other.default = false;
    if (typeof d === 'boolean') k.default = d;
    return { status: 200, body: null };
  });
  router.on('DELETE', '/1.0/me/sshKey/:keyName', (req) => {
    if (!keys.keys.delete(req.params.keyName ?? '')) return ovhError(404, `The requested object (keyName = ${req.params.keyName}) does not exist`);
    return { status: 200, body: null };
  });
}
