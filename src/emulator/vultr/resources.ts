/** /v2/snapshots, /v2/ssh-keys and the public catalog (/regions, availability, /plans, /plans-metal, /os, /account). */
import type { Router } from '../engine/index.js';
import { METAL_PLANS, OPERATING_SYSTEMS, PLANS, REGIONS, regionById } from './catalog.js';
import { badRequest, bodyOf, isResponse, noContent, notFound, paginate, vultrError } from './http.js';
import type { VultrState } from './state.js';
import { snapshotWire, sshKeyWire } from './wire.js';

/** Endpoints Vultr serves without an API key. */
export const PUBLIC_PATHS = [/^\/v2\/regions(\/[^/]+\/availability)?$/, /^\/v2\/plans(-metal)?$/, /^\/v2\/os$/];

export function registerCatalog(router: Router, st: VultrState): void {
  // A plan under an injected capacity fault is out of stock there: availability leaves it out.
  const inStock = (region: string, plan: string) => !st.ctx.faults.capacity(region, plan, 0);
  router.on('GET', '/v2/regions', (req) => paginate('regions', REGIONS, req.query));
  router.on('GET', '/v2/regions/:id/availability', (req) => {
    const id = req.params.id ?? '';
    if (!regionById(id)) return notFound('region-id');
    const type = req.query.get('type');
    const cloud = PLANS.filter((p) => p.locations.includes(id) && inStock(id, p.id) && (!type || type === 'all' || p.type === type)).map((p) => p.id);
    const metal = !type || type === 'all' || type === 'vbm' ? METAL_PLANS.filter((p) => p.locations.includes(id) && inStock(id, p.id)).map((p) => p.id) : [];
    return { status: 200, body: { available_plans: [...cloud, ...metal] } };
  });
  router.on('GET', '/v2/plans', (req) => {
    const type = req.query.get('type');
    return paginate('plans', PLANS.filter((p) => !type || type === 'all' || p.type === type), req.query);
  });
  router.on('GET', '/v2/plans-metal', (req) => paginate('plans_metal', METAL_PLANS, req.query));
  router.on('GET', '/v2/os', (req) => paginate('os', OPERATING_SYSTEMS, req.query));
  router.on('GET', '/v2/account', () => ({
    status: 200,
    body: { account: { name: 'Emulated Account', email: 'ops@example.com', acls: ['manage_users', 'subscriptions', 'billing'], balance: -25.5, pending_charges: 3.14, last_payment_date: '2026-11-01T00:00:00+00:00', last_payment_amount: -25 } },
  }));
}

export function registerSnapshots(router: Router, st: VultrState): void {
  router.on('POST', '/v2/snapshots', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const instanceId = body.instance_id;
    if (typeof instanceId !== 'string') return badRequest('Invalid instance_id.');
    const m = st.machine('instance', instanceId);
    if (!m) return vultrError(404, 'Invalid instance-id.');
    if (st.status(m).status === 'pending') return badRequest('Unable to snapshot: the instance is still installing.');
    const description = typeof body.description === 'string' ? body.description : '';
    const now = st.now();
    const snap = { id: st.uuid(), description, instanceId, osId: m.osId, sizeBytes: 25 * 1024 ** 3, createdAt: now, readyAt: now + st.ctx.config.actionMs * 3 };
    st.snapshots.set(snap.id, snap);
    return { status: 201, body: { snapshot: snapshotWire(st, snap) } };
  });
  router.on('GET', '/v2/snapshots', (req) => {
    const description = req.query.get('description');
    const items = [...st.snapshots.values()].filter((s) => !description || s.description === description).sort((a, b) => a.createdAt - b.createdAt);
    return paginate('snapshots', items, req.query, (s) => snapshotWire(st, s));
  });
  router.on('GET', '/v2/snapshots/:id', (req) => {
    const s = st.snapshots.get(req.params.id ?? '');
    return s ? { status: 200, body: { snapshot: snapshotWire(st, s) } } : notFound('snapshot-id');
  });
  router.on('DELETE', '/v2/snapshots/:id', (req) => {
    const id = req.params.id ?? '';
    if (!st.snapshots.has(id)) return notFound('snapshot-id');
    st.snapshots.delete(id);
    return noContent;
  });
}

const PUBLIC_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+=*( .*)?$/;

export function registerSshKeys(router: Router, st: VultrState): void {
  router.on('POST', '/v2/ssh-keys', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    if (typeof body.name !== 'string' || !body.name) return badRequest('Invalid name.');
    if (typeof body.ssh_key !== 'string' || !PUBLIC_KEY.test(body.ssh_key.trim())) return badRequest('Invalid ssh_key: not a public key.');
    const key = { id: st.uuid(), name: body.name, sshKey: body.ssh_key.trim(), createdAt: st.now() };
    st.sshKeys.set(key.id, key);
    return { status: 201, body: { ssh_key: sshKeyWire(key) } };
  });
  router.on('GET', '/v2/ssh-keys', (req) => paginate('ssh_keys', [...st.sshKeys.values()], req.query, sshKeyWire));
  router.on('GET', '/v2/ssh-keys/:id', (req) => {
    const k = st.sshKeys.get(req.params.id ?? '');
    return k ? { status: 200, body: { ssh_key: sshKeyWire(k) } } : notFound('ssh-key-id');
  });
  router.on('DELETE', '/v2/ssh-keys/:id', (req) => (st.sshKeys.delete(req.params.id ?? '') ? noContent : notFound('ssh-key-id')));
}
