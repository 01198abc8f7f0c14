/** The emulated state in the shapes of linode-openapi-v4.189.0.yaml (only declared fields). */
import { isRefusal, pageOf as enginePageOf, type EmuRequest, type EmuResponse } from '../engine/index.js';
import { badField } from './errors.js';
import { applyFilter, parseFilter } from './filter.js';
import { IMAGES, REGIONS, TYPES, UPLIFT_REGIONS, type SeedImage, type SeedType } from './seed.js';
import type { Event, Firewall, Linode, LinodeState, PrivateImage, SshKey, Volume, Vpc } from './state.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One page of a collection: ?page and ?page_size (25 to 500, default 100) after X-Filter. X-Filter
 * reads the API's fields, so a filtered list is rendered first; without one only the page is rendered.
 */
export function pageOf<T>(req: EmuRequest, records: readonly T[], render: (r: T) => unknown = (x) => x): EmuResponse {
  const filter = parseFilter(req.headers['x-filter']);
  if (typeof filter === 'string') return badField('X-Filter', filter);
  const filtered = Object.keys(filter).length > 0;
  const items: readonly unknown[] = filtered ? applyFilter(records.map(render), filter) : records;
  const p = enginePageOf(items, req.query, { defaultPerPage: 100, minPerPage: 25, maxPerPage: 500, perPageParam: 'page_size', refuse: 'out-of-range' });
  if (isRefusal(p)) return p.refused === 'page' ? badField('page', 'Must be an integer of at least 1') : badField('page_size', 'Must be 25-500');
  const data = filtered ? p.items : (p.items as T[]).map(render);
  return { status: 200, body: { data, page: p.page, pages: p.lastPage, results: p.total } };
}

export function linodeWire(st: LinodeState, l: Linode) {
  const t = TYPES.find((x) => x.id === l.type)!;
  return {
    id: l.id,
    label: l.label,
    status: st.statusOf(l),
    region: l.region,
    type: l.type,
    image: l.image,
    ipv4: l.ipv4,
    ipv6: l.ipv6,
    tags: l.tags,
    group: '',
    hypervisor: 'kvm',
    watchdog_enabled: true,
    has_user_data: l.hasUserData,
    created: iso(l.created),
    updated: iso(l.updated),
    specs: { vcpus: t.vcpus, memory: t.memory, disk: t.disk, gpus: t.gpus, transfer: t.transfer },
    capabilities: [],
  };
}

export function eventWire(st: LinodeState, e: Event) {
  const now = st.now();
  const done = now >= e.doneAt;
  const span = Math.max(1, e.doneAt - e.created);
  return {
    id: e.id,
    action: e.action,
    status: done ? 'finished' : 'started',
    percent_complete: done ? 100 : Math.min(99, Math.floor(((now - e.created) / span) * 100)),
    created: iso(e.created),
    duration: done ? (e.doneAt - e.created) / 1000 : (now - e.created) / 1000,
    entity: e.entity,
    message: '',
    read: false,
    seen: false,
    time_remaining: null,
    username: 'ferry-emulated',
  };
}

export function publicImageWire(i: SeedImage) {
  return {
    id: i.id,
    label: i.label,
    description: null,
    status: 'available',
    type: 'manual',
    is_public: true,
    vendor: i.vendor,
    deprecated: i.deprecated,
    size: 2500,
    total_size: 2500,
    created: '2024-04-25T00:00:00Z',
    updated: '2024-04-25T00:00:00Z',
    created_by: 'linode',
    expiry: null,
    eol: null,
    capabilities: ['cloud-init'],
    tags: [],
    regions: [],
  };
}

export function privateImageWire(st: LinodeState, i: PrivateImage) {
  const ready = st.now() >= i.readyAt;
  return {
    id: i.id,
    label: i.label,
    description: i.description || null,
    status: ready ? 'available' : 'creating',
    type: 'manual',
    is_public: false,
    vendor: null,
    deprecated: false,
    size: i.size,
    total_size: i.size,
    created: iso(i.created),
    updated: iso(ready ? i.readyAt : i.created),
    created_by: 'ferry-emulated',
    expiry: null,
    eol: null,
    capabilities: [],
    tags: i.tags,
    regions: [],
  };
}

export function allImages(st: LinodeState, images: Iterable<PrivateImage>) {
  return [...IMAGES.map(publicImageWire), ...[...images].map((i) => privateImageWire(st, i))];
}

export function typeWire(t: SeedType) {
  const price = { hourly: t.hourly, monthly: t.monthly };
  const region_prices = t.uplift
    ? UPLIFT_REGIONS.map((id) => ({ id, hourly: Math.round(t.hourly * 1.2 * 10_000) / 10_000, monthly: Math.round(t.monthly * 1.2 * 100) / 100 }))
    : [];
  const backups = Math.round(t.monthly * 0.2 * 100) / 100;
  return {
    id: t.id,
    label: t.label,
    class: t.class,
    vcpus: t.vcpus,
    memory: t.memory,
    disk: t.disk,
    gpus: t.gpus,
    transfer: t.transfer,
    network_out: t.network_out,
    price,
    region_prices,
    successor: null,
    addons: { backups: { price: { hourly: Math.round((backups / 730) * 10_000) / 10_000, monthly: backups }, region_prices: [] } },
  };
}

export function regionWire(r: (typeof REGIONS)[number]) {
  return {
    id: r.id,
    label: r.label,
    country: r.country,
    capabilities: r.capabilities,
    status: 'ok',
    'site-type': 'core',
    resolvers: { ipv4: '192.0.2.53,192.0.2.54', ipv6: '2001:db8::53' },
    placement_group_limits: { maximum_linodes_per_pg: 5, maximum_pgs_per_customer: 100 },
  };
}

export const sshKeyWire = (k: SshKey) => ({ id: k.id, label: k.label, ssh_key: k.ssh_key, created: iso(k.created) });

export const firewallWire = (f: Firewall) => ({
  id: f.id,
  label: f.label,
  status: 'enabled',
  tags: f.tags,
  rules: f.rules,
  created: iso(f.created),
  updated: iso(f.created),
});

export const vpcWire = (st: LinodeState, v: Vpc) => ({
  id: v.id,
  label: v.label,
  region: v.region,
  description: v.description,
  subnets: v.subnets.map((s) => ({ id: s.id, label: s.label, ipv4: s.ipv4, linodes: [], created: iso(s.created), updated: null })),
  created: iso(v.created),
  updated: null,
});

export function volumeWire(st: LinodeState, v: Volume, linodeLabel: string | null) {
  return {
    id: v.id,
    label: v.label,
    size: v.size,
    region: v.region,
    status: st.now() >= v.readyAt ? 'active' : 'creating',
    linode_id: v.linodeId,
    linode_label: linodeLabel,
    filesystem_path: `/dev/disk/by-id/scsi-0Linode_Volume_${v.label}`,
    hardware_type: 'nvme',
    encryption: 'disabled',
    tags: v.tags,
    created: iso(v.created),
    updated: iso(v.created),
  };
}
