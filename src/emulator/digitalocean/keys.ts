/** /v2/account/keys: list, add (fingerprint computed as DigitalOcean does), get and delete by id or fingerprint. */
import type { Router } from '../engine/types.js';
import { notFound } from './droplets.js';
import { doError } from './errors.js';
import { md5Fingerprint } from './fingerprint.js';
import { paginate } from './paginate.js';
import type { DoState, KeyRec } from './state.js';

const KEY_TYPES = ['ssh-rsa', 'ssh-dss', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-ed25519'];

function render(k: KeyRec): Record<string, unknown> {
  return { id: k.id, fingerprint: k.fingerprint, public_key: k.publicKey, name: k.name };
}

export function registerKeys(router: Router, state: DoState): void {
  const { ctx } = state;
  const find = (ref: string | undefined) => [...state.keys.values()].find((k) => String(k.id) === ref || k.fingerprint === ref);

  router.on('GET', '/v2/account/keys', (req) => {
    const list = [...state.keys.values()].sort((a, b) => a.id - b.id);
    return paginate(req, 'ssh_keys', list, render);
  });

  router.on('POST', '/v2/account/keys', (req) => {
    const name = req.body?.name;
    const publicKey = typeof req.body?.public_key === 'string' ? req.body.public_key.trim() : undefined;
    if (typeof name !== 'string' || !name || !publicKey) {
      return doError(ctx.random, 422, 'unprocessable_entity', 'name and public_key are required');
    }
    const fingerprint = KEY_TYPES.includes(publicKey.split(/\s+/)[0]!) ? md5Fingerprint(publicKey) : undefined;
    if (!fingerprint) {
      return doError(ctx.random, 422, 'unprocessable_entity', `Key invalid type, we support ${KEY_TYPES.map((t) => `'${t}'`).join(', ')}`);
    }
    if (find(fingerprint)) return doError(ctx.random, 422, 'unprocessable_entity', 'SSH Key is already in use on your account');
    const key: KeyRec = { id: state.id(), name, publicKey, fingerprint };
    state.keys.set(key.id, key);
    return { status: 201, body: { ssh_key: render(key) } };
  });

  router.on('GET', '/v2/account/keys/:ref', (req) => {
    const k = find(req.params.ref);
    return k ? { status: 200, body: { ssh_key: render(k) } } : notFound(state);
  });

  router.on('DELETE', '/v2/account/keys/:ref', (req) => {
    const k = find(req.params.ref);
    if (!k) return notFound(state);
    state.keys.delete(k.id);
    return { status: 204 };
  });
}
