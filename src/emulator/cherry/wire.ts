/** Renders state as Cherry Servers' JSON (shapes of cherrygo's structs and the Python SDK's fixtures). */
import type { EmuRequest, EmuResponse } from '../engine/index.js';
import { SEED_REGIONS, type SeedPlan } from './seed.js';
import type { CherryState, ServerRec } from './state.js';

export function renderRegion(slug: string) {
  const r = SEED_REGIONS.find((x) => x.slug === slug)!;
  return { id: r.id, name: r.name, slug: r.slug, region_iso_2: r.iso2, location: r.location, href: `/regions/${r.id}`, bgp: { hosts: [], asn: 0 } };
}

export function renderPlan(st: CherryState, p: SeedPlan) {
  return {
    id: p.id,
    href: `/plans/${p.slug}`,
    name: p.name,
    slug: p.slug,
    title: p.name,
    type: p.type,
    category: p.category,
    custom: false,
    specs: { cpus: p.cpus, memory: p.memory, storage: p.storage, nics: { name: p.nics }, bandwidth: { name: p.bandwidth } },
    pricing: p.prices.map((x, i) => ({ id: i + 1, unit: x.unit, price: x.price, currency: 'EUR', taxed: true })),
    available_regions: Object.keys(p.stock).map((slug) => ({ ...renderRegion(slug), stock_qty: st.stock.get(`${p.slug}@${slug}`) ?? 0, spot_qty: 0 })),
    softwares: [],
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export function renderServer(st: CherryState, s: ServerRec) {
  const { state, status } = st.statusOf(s);
  const project = st.projects.get(s.projectId);
  const hourly = s.plan.prices.find((x) => x.unit === 'Hourly');
  const image = s.ipxeChain ? { name: 'iPXE chain', slug: s.image } : { name: s.image.replace(/_/g, ' '), slug: s.image };
  return {
    id: s.id,
    name: s.plan.name,
    href: `/servers/${s.id}`,
    hostname: s.hostname,
    username: 'root',
    image: image.name,
    deployed_image: image,
    spot_instance: false,
    region: renderRegion(s.region),
    state,
    status,
    bgp: { enabled: false, available: false, status: 'Disabled', routers: 0, connected: 0, limit: 0, active: 0, routes: [] },
    plan: renderPlan(st, s.plan),
    pricing: { id: 37, currency: 'EUR', unit: s.cycle === 'hourly' ? 'Hours' : 'Monthly', unit_price: hourly?.price ?? 0, taxed: true, price: hourly?.price ?? 0 },
    ip_addresses: [
      { id: `ip-${s.id}-4`, address: s.ipv4, address_family: 4, cidr: `${s.ipv4}/29`, type: 'primary-ip', region: renderRegion(s.region) },
      { id: `ip-${s.id}-p`, address: `10.168.${s.id % 250}.${(s.id >> 8) % 250}`, address_family: 4, cidr: '10.168.0.0/16', type: 'private-ip', region: renderRegion(s.region) },
    ],
    ssh_keys: s.sshKeys.map((id) => ({ id, href: `/ssh-keys/${id}` })),
    tags: s.tags,
    termination_date: null,
    created_at: iso(s.createdAt),
    project: project ? { id: project.id, name: project.name, href: `/projects/${project.id}` } : null,
  };
}

/** limit/offset, with the total in X-Total-Count as cherrygo reads it. */
export function paginate<T>(records: readonly T[], req: EmuRequest, render: (r: T) => unknown): EmuResponse {
  const limit = Math.max(1, Math.min(1000, Number(req.query.get('limit') ?? 1000) || 1000));
  const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
  return { status: 200, body: records.slice(offset, offset + limit).map(render), headers: { 'X-Total-Count': String(records.length) } };
}

export { iso };
