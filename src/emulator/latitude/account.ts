/** /plans, /plans/operating_systems, /regions, /projects, /ssh_keys, /tags, /user_data, /virtual_networks. */
import { createHash } from 'node:crypto';
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { attributesOf, invalid, isResponse, notFound } from './errors.js';
import { SEED_OPERATING_SYSTEMS, SEED_PLANS, SEED_REGIONS } from './seed.js';
import type { LatitudeState } from './state.js';
import { paginate, renderPlan, TEAM } from './wire.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

function plans(st: LatitudeState, req: EmuRequest): EmuResponse {
  const q = req.query;
  const rendered = SEED_PLANS.filter((p) => (!q.get('filter[slug]') || p.slug === q.get('filter[slug]')) && (!q.get('filter[name]') || p.name === q.get('filter[name]')))
    .map((p) => renderPlan(st, p))
    .filter((p) => !q.get('filter[location]') || p.attributes.regions.some((r) => r.locations.available.includes(q.get('filter[location]')!)))
    .filter((p) => q.get('filter[in_stock]') !== 'true' || p.attributes.regions.some((r) => r.locations.in_stock.length > 0));
  return { status: 200, body: { data: rendered, meta: {} } };
}

function fingerprint(publicKey: string): string {
  const b64 = publicKey.trim().split(/\s+/)[1] ?? '';
  const md5 = createHash('md5').update(Buffer.from(b64, 'base64')).digest('hex');
  return md5.match(/../g)!.join(':');
}

function registerCatalog(router: Router, st: LatitudeState): void {
  router.on('GET', '/plans', (req) => plans(st, req));
  router.on('GET', '/plans/:id', (req) => {
    const p = SEED_PLANS.find((x) => x.id === req.params.id || x.slug === req.params.id);
    return p ? { status: 200, body: { data: renderPlan(st, p), meta: {} } } : notFound();
  });
  router.on('GET', '/plans/operating_systems', (req) =>
    paginate(
      SEED_OPERATING_SYSTEMS.map((o) => ({
        id: o.id,
        type: 'operating_system',
        attributes: { name: o.name, slug: o.slug, distro: o.distro, version: o.version, user: o.user, features: { raid: o.slug !== 'ipxe', ssh_keys: o.slug !== 'ipxe', user_data: o.slug !== 'ipxe' }, provisionable_on: SEED_PLANS.map((p) => p.slug) },
      })),
      req,
    ),
  );
  router.on('GET', '/regions', (req) =>
    paginate(SEED_REGIONS.map((r) => ({ id: r.id, type: 'regions', attributes: { slug: r.slug, name: r.name, country: r.country } })), req),
  );
}

function registerAccount(router: Router, st: LatitudeState): void {
  const project = (p: { id: string; name: string; slug: string; description: string | null; provisioningType: string; createdAt: number }) => ({
    id: p.id,
    type: 'projects',
    attributes: { name: p.name, slug: p.slug, description: p.description, provisioning_type: p.provisioningType, billing_type: 'Normal', billing_method: 'Normal', environment: 'Development', team: TEAM, created_at: iso(p.createdAt), updated_at: iso(p.createdAt) },
  });
  router.on('GET', '/projects', (req) => paginate([...st.projects.values()], req, project));
  router.on('POST', '/projects', (req) => {
    const a = attributesOf(req.body, 'projects');
    if (isResponse(a)) return a;
    if (typeof a.name !== 'string' || !a.name) return invalid('name', 'is required');
    const p = { id: st.newId('proj'), name: a.name, slug: a.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), description: (a.description as string | undefined) ?? null, provisioningType: String(a.provisioning_type ?? 'on_demand'), createdAt: st.now() };
    st.projects.set(p.id, p);
    return { status: 201, body: { data: project(p) } };
  });

  const key = (k: { id: string; name: string; publicKey: string; fingerprint: string; createdAt: number }) => ({
    id: k.id,
    type: 'ssh_keys',
    attributes: { tags: [], name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, created_at: iso(k.createdAt), updated_at: iso(k.createdAt) },
  });
  router.on('GET', '/ssh_keys', (req) => paginate([...st.sshKeys.values()], req, key));
  router.on('POST', '/ssh_keys', (req) => {
    const a = attributesOf(req.body, 'ssh_keys');
    if (isResponse(a)) return a;
    if (typeof a.name !== 'string' || !a.name) return invalid('name', 'is required');
    if (typeof a.public_key !== 'string' || !/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/.test(a.public_key)) return invalid('public_key', 'is not a valid public key');
    const k = { id: st.newId('ssh'), name: a.name, publicKey: a.public_key, fingerprint: fingerprint(a.public_key), createdAt: st.now() };
    st.sshKeys.set(k.id, k);
    return { status: 201, body: { data: key(k), meta: {} } };
  });

  const tag = (t: { id: string; name: string; description: string | null; color: string }) => ({
    id: t.id,
    type: 'tags',
    attributes: { name: t.name, slug: t.name.toLowerCase().replace(/[^a-z0-9_]+/g, '-'), description: t.description, color: t.color, team: TEAM },
  });
  router.on('GET', '/tags', () => ({ status: 200, body: { data: [...st.tags.values()].map(tag) } }));
  router.on('POST', '/tags', (req) => {
    const a = attributesOf(req.body, 'tags');
    if (isResponse(a)) return a;
    if (typeof a.name !== 'string' || !a.name) return invalid('name', 'is required');
    if ([...st.tags.values()].some((t) => t.name === a.name)) return invalid('name', 'has already been taken');
    const t = { id: st.newId('tag'), name: a.name, description: (a.description as string | undefined) ?? null, color: typeof a.color === 'string' ? a.color : '#ffffff' };
    st.tags.set(t.id, t);
    return { status: 201, body: { data: tag(t) } };
  });

  router.on('POST', '/user_data', (req) => {
    const a = attributesOf(req.body, 'user_data');
    if (isResponse(a)) return a;
    if (typeof a.content !== 'string' || !/^[A-Za-z0-9+/=]*$/.test(a.content)) return invalid('content', 'must be base64');
    const u = { id: st.newId('ud'), description: String(a.description ?? ''), content: a.content, projectId: (a.project as string | undefined) ?? null, createdAt: st.now() };
    st.userData.set(u.id, u);
    return { status: 201, body: { data: { id: u.id, type: 'user_data', attributes: { description: u.description, content: u.content, created_at: iso(u.createdAt), updated_at: iso(u.createdAt) } }, meta: {} } };
  });

  const vlan = (v: { id: string; vid: number; description: string; site: string }) => ({
    id: v.id,
    type: 'virtual_networks',
    attributes: { tags: [], vid: v.vid, name: `${v.site}-${v.vid}`, description: v.description, site: v.site },
  });
  router.on('GET', '/virtual_networks', (req) =>
    paginate([...st.vlans.values()].filter((v) => !req.query.get('filter[project]') || v.projectId === req.query.get('filter[project]')), req, vlan),
  );
  router.on('POST', '/virtual_networks', (req) => {
    const a = attributesOf(req.body, 'virtual_network');
    if (isResponse(a)) return a;
    if (typeof a.description !== 'string' || !a.description) return invalid('description', 'is required');
    if (!st.projects.has(String(a.project))) return invalid('project', 'not found');
    if (!SEED_REGIONS.some((r) => r.slug === a.site)) return invalid('site', 'is not a valid site');
    const v = { id: st.newId('vlan'), vid: st.nextVid(), description: a.description, site: String(a.site), projectId: String(a.project), createdAt: st.now() };
    st.vlans.set(v.id, v);
    return { status: 201, body: { data: vlan(v), meta: {} } };
  });
  router.on('GET', '/virtual_networks/:id', (req) => {
    const v = st.vlans.get(req.params.id ?? '');
    return v ? { status: 200, body: { data: vlan(v), meta: {} } } : notFound();
  });
  router.on('DELETE', '/virtual_networks/:id', (req) => (st.vlans.delete(req.params.id ?? '') ? { status: 204 } : notFound()));
}

export function registerAccountRoutes(router: Router, st: LatitudeState): void {
  registerCatalog(router, st);
  registerAccount(router, st);
}
