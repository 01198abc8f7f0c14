/** /teams, /teams/{id}/projects, /teams/{id}/plans, /plans, /plans/{plan}/images, /regions, /ssh-keys. */
import { createHash } from 'node:crypto';
import type { Router } from '../engine/index.js';
import { bodyObject, csError, isResponse, notFound } from './errors.js';
import { SEED_IMAGES, SEED_PLANS, SEED_REGIONS } from './seed.js';
import type { CherryState } from './state.js';
import { iso, renderPlan, renderRegion } from './wire.js';

function fingerprint(key: string): string {
  const b64 = key.trim().split(/\s+/)[1] ?? '';
  return createHash('md5').update(Buffer.from(b64, 'base64')).digest('hex').match(/../g)!.join(':');
}

export function registerAccount(router: Router, st: CherryState): void {
  const project = (p: { id: number; name: string }) => ({ id: p.id, name: p.name, bgp: { enabled: false, local_asn: 0 }, href: `/projects/${p.id}` });
  const team = (t: { id: number; name: string }) => ({
    id: t.id,
    name: t.name,
    credit: { account: { remaining: 100, usage: 0, currency: 'EUR' }, promo: { remaining: 0, usage: 0, currency: 'EUR' } },
    billing: { type: 'personal', currency: 'EUR' },
    projects: [...st.projects.values()].filter((p) => p.teamId === t.id).map(project),
    href: `/teams/${t.id}`,
  });
  const withTeam = (id: string | undefined) => st.teams.find((t) => String(t.id) === id);

  router.on('GET', '/v1/teams', () => ({ status: 200, body: st.teams.map(team) }));
  router.on('GET', '/v1/teams/:team/projects', (req) => {
    const t = withTeam(req.params.team);
    return t ? { status: 200, body: [...st.projects.values()].filter((p) => p.teamId === t.id).map(project) } : notFound('Team');
  });
  router.on('POST', '/v1/teams/:team/projects', (req) => {
    const t = withTeam(req.params.team);
    if (!t) return notFound('Team');
    const b = bodyObject(req.body);
    if (isResponse(b)) return b;
    if (typeof b.name !== 'string' || !b.name) return csError(422, 'name is required');
    const p = { id: st.next('project'), name: b.name, teamId: t.id };
    st.projects.set(p.id, p);
    return { status: 201, body: project(p) };
  });
  router.on('GET', '/v1/teams/:team/plans', (req) => (withTeam(req.params.team) ? { status: 200, body: SEED_PLANS.map((p) => renderPlan(st, p)) } : notFound('Team')));
  router.on('GET', '/v1/plans', () => ({ status: 200, body: SEED_PLANS.map((p) => renderPlan(st, p)) }));
  router.on('GET', '/v1/plans/:plan/images', (req) => {
    const p = SEED_PLANS.find((x) => x.slug === req.params.plan || String(x.id) === req.params.plan);
    if (!p) return notFound('Plan');
    return { status: 200, body: SEED_IMAGES.map((i) => ({ ...i, pricing: [{ unit: 'Hourly', price: 0, currency: 'EUR', taxed: true }] })) };
  });
  router.on('GET', '/v1/regions', () => ({ status: 200, body: SEED_REGIONS.map((r) => renderRegion(r.slug)) }));

  const key = (k: { id: number; label: string; key: string; fingerprint: string; created: number }) => ({
    id: k.id,
    label: k.label,
    key: k.key,
    fingerprint: k.fingerprint,
    created: iso(k.created),
    updated: iso(k.created),
    href: `/ssh-keys/${k.id}`,
  });
  router.on('GET', '/v1/ssh-keys', () => ({ status: 200, body: [...st.sshKeys.values()].map(key) }));
  router.on('POST', '/v1/ssh-keys', (req) => {
    const b = bodyObject(req.body);
    if (isResponse(b)) return b;
    if (typeof b.label !== 'string' || !b.label) return csError(422, 'label is required');
    if (typeof b.key !== 'string' || !/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/.test(b.key)) return csError(422, 'key is not a valid public key');
    if ([...st.sshKeys.values()].some((k) => k.key.split(/\s+/)[1] === b.key!.toString().split(/\s+/)[1])) return csError(409, 'This SSH key already exists');
    const k = { id: st.next('key'), label: b.label, key: b.key, fingerprint: fingerprint(b.key), created: st.now() };
    st.sshKeys.set(k.id, k);
    return { status: 201, body: key(k) };
  });
}
