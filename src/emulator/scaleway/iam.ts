/** IAM v1alpha1 SSH keys of the project (Scaleway injects every project key into new servers). */
import { createHash } from 'node:crypto';
import type { Router } from '../engine/index.js';
import { badId, bodyOf, invalidArguments, isResponse, notFound, scwError } from './errors.js';
import { modernPage } from './paginate.js';
import type { ScalewayState, SshKeyRec } from './state.js';

const KEY_RE = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+)\s+([A-Za-z0-9+/]+={0,3})(\s.*)?$/;

function render(st: ScalewayState, k: SshKeyRec) {
  return { id: k.id, name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, created_at: st.iso(k.createdAt), updated_at: st.iso(k.createdAt), organization_id: k.project, project_id: k.project, disabled: false };
}

export function registerIam(router: Router, st: ScalewayState): void {
  router.on('GET', '/iam/v1alpha1/ssh-keys', (req) => {
    const q = req.query;
    const hits = [...st.sshKeys.values()].filter((k) => (!q.get('project_id') || k.project === q.get('project_id')) && (!q.get('name') || k.name.includes(q.get('name')!)));
    return modernPage('ssh_keys', hits.sort((a, b) => a.createdAt - b.createdAt), q, (k) => render(st, k));
  });
  router.on('POST', '/iam/v1alpha1/ssh-keys', (req) => {
    const body = bodyOf(req.body);
    if (isResponse(body)) return body;
    const m = typeof body.public_key === 'string' ? KEY_RE.exec(body.public_key.trim()) : null;
    if (!m) return invalidArguments('public_key', 'an OpenSSH public key');
    if (typeof body.project_id !== 'string' || !body.project_id) return invalidArguments('project_id', 'required');
    const digest = createHash('sha256').update(Buffer.from(m[2]!, 'base64')).digest('base64').replace(/=+$/, '');
    const fingerprint = `256 SHA256:${digest} (${m[1]})`;
    if ([...st.sshKeys.values()].some((k) => k.fingerprint === fingerprint && k.project === body.project_id)) {
      return scwError(409, 'already_exists', 'resource already exists', { resource: 'iam_ssh_key' });
    }
    const k: SshKeyRec = { id: st.uuid(), name: typeof body.name === 'string' && body.name ? body.name : 'key', publicKey: body.public_key as string, fingerprint, project: body.project_id, createdAt: st.now() };
    st.sshKeys.set(k.id, k);
    return { status: 200, body: render(st, k) };
  });
  router.on('DELETE', '/iam/v1alpha1/ssh-keys/:id', (req) => {
    const bad = badId('ssh_key_id', req.params.id!);
    if (bad) return bad;
    if (!st.sshKeys.delete(req.params.id!)) return notFound('iam_ssh_key', req.params.id!);
    return { status: 204 };
  });
}
