/** /ssh_keys: registered by name and public key; Hetzner fingerprints with MD5 of the key blob. */
import { createHash } from 'node:crypto';
import { sortedValues, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { invalidInput, notFound, uniqueness } from './errors.js';
import { invalidLabel } from './labels.js';
import { paginate } from './paginate.js';
import { bodyObject, byId, filterByNameAndLabels, idParam, isResponse } from './request.js';
import type { HetznerState, Labels } from './state.js';
import { renderSshKey } from './wire.js';

const KEY_RE = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+)\s+([A-Za-z0-9+/]+={0,3})(\s.*)?$/;

export function fingerprintOf(publicKey: string): string | undefined {
  const m = KEY_RE.exec(publicKey.trim());
  if (!m) return undefined;
  const blob = Buffer.from(m[2]!, 'base64');
  if (blob.length < 16) return undefined;
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

function createKey(st: HetznerState, req: EmuRequest): EmuResponse {
  const body = bodyObject(req);
  if (isResponse(body)) return body;
  if (typeof body.name !== 'string' || !body.name.trim()) return invalidInput('name', 'is required');
  if (typeof body.public_key !== 'string') return invalidInput('public_key', 'is required');
  const fingerprint = fingerprintOf(body.public_key);
  if (!fingerprint) return invalidInput('public_key', 'invalid public key');
  const badLabel = invalidLabel(body.labels);
  if (badLabel) return invalidInput('labels', badLabel);
  const all = [...st.sshKeys.values()];
  if (all.some((k) => k.name === body.name)) return uniqueness('name');
  if (all.some((k) => k.fingerprint === fingerprint)) return uniqueness('public_key');
  const rec = {
    id: st.nextId('ssh_key'),
    name: body.name,
    publicKey: body.public_key.trim(),
    fingerprint,
    labels: { ...((body.labels as Labels | undefined) ?? {}) },
    createdAt: st.now(),
  };
  st.sshKeys.set(rec.id, rec);
  return { status: 201, body: { ssh_key: renderSshKey(st, rec) } };
}

function listKeys(st: HetznerState, req: EmuRequest): EmuResponse {
  const filtered = filterByNameAndLabels(sortedValues(st.sshKeys, byId), req.query);
  if (isResponse(filtered)) return filtered;
  const fp = req.query.get('fingerprint');
  return paginate('ssh_keys', filtered.filter((k) => fp === null || k.fingerprint === fp), req.query, (k) => renderSshKey(st, k));
}

export function registerSshKeys(router: Router, st: HetznerState): void {
  router.on('GET', '/v1/ssh_keys', (req) => listKeys(st, req));
  router.on('POST', '/v1/ssh_keys', (req) => createKey(st, req));
  router.on('GET', '/v1/ssh_keys/:id', (req) => {
    const id = idParam(req);
    if (isResponse(id)) return id;
    const k = st.sshKeys.get(id);
    return k ? { status: 200, body: { ssh_key: renderSshKey(st, k) } } : notFound(`ssh key with ID ${id}`);
  });
  router.on('DELETE', '/v1/ssh_keys/:id', (req) => {
    const id = idParam(req);
    if (isResponse(id)) return id;
    return st.sshKeys.delete(id) ? { status: 204 } : notFound(`ssh key with ID ${id}`);
  });
}
