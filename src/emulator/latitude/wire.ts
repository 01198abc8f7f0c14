/** Renders state as Latitude.sh's JSON:API documents (shapes of the SDK models and recorded answers). */
import { pageOf, type EmuRequest, type EmuResponse } from '../engine/index.js';
import { SEED_REGIONS, STOCK_BY_LEVEL, type SeedPlan } from './seed.js';
import type { LatitudeState, ServerRec } from './state.js';

const TEAM = { id: 'team_emulatedTeam0000000000001', name: 'Emulated team', slug: 'emulated-team', description: null, address: null, currency: { id: 'cur_87vRENkgNdPyk', code: 'USD', name: 'United States Dollar' }, status: 'verified' };

export function renderServer(st: LatitudeState, s: ServerRec) {
  const region = SEED_REGIONS.find((r) => r.slug === s.site);
  const project = st.projects.get(s.projectId);
  const os = s.os === 'ipxe' ? { name: 'iPXE', slug: 'ipxe', version: null } : { name: s.os.split('_')[0], slug: s.os, version: s.os.replace(/^[a-z]+_/, '').replace(/_x64_lts$/, '').replace(/_/g, '.') };
  return {
    id: s.id,
    type: 'servers',
    attributes: {
      tags: s.tagIds.map((id) => st.tags.get(id)).filter((t) => t !== undefined).map((t) => ({ id: t.id, name: t.name, description: t.description, color: t.color })),
      hostname: s.hostname,
      label: s.label,
      price: s.plan.regions.find((r) => r.available.includes(s.site))?.usd.hour ?? null,
      role: 'Bare Metal',
      primary_ipv4: s.ipv4,
      status: st.status(s),
      ipmi_status: 'Normal',
      created_at: new Date(s.createdAt).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      scheduled_deletion_at: s.scheduledDeletionAt === null ? null : new Date(s.scheduledDeletionAt).toISOString(),
      locked: false,
      rescue_allowed: true,
      region: { city: region?.name ?? s.site, country: region?.country.name ?? '', site: { id: region?.id ?? 'loc_unknown', name: region?.name ?? s.site, slug: s.site, facility: region?.facility ?? s.site } },
      team: TEAM,
      project: project ? { id: project.id, name: project.name, slug: project.slug, description: project.description, billing_type: 'Normal', billing_method: 'Normal', bandwidth_alert: false, environment: 'Development', provisioning_type: project.provisioningType } : null,
      plan: { id: s.plan.id, name: s.plan.name, slug: s.plan.slug, billing: s.billing },
      operating_system: os,
      specs: {
        cpu: `${s.plan.cpu.type} CPU @ ${s.plan.cpu.clock}GHz (${s.plan.cpu.cores} cores)`,
        disk: s.plan.drives.map((d) => `${d.count} X ${d.size} ${d.type}`).join(', '),
        ram: `${s.plan.memoryGb} GB`,
        nic: s.plan.nics.map((n) => `${n.count} X ${n.type}`).join(', '),
        gpu: s.plan.gpu ? `${s.plan.gpu.count} x ${s.plan.gpu.type}` : null,
      },
    },
  };
}

/** Stock is read live: a site whose servers are all taken drops out of `in_stock`. */
export function renderPlan(st: LatitudeState, p: SeedPlan) {
  return {
    id: p.id,
    type: 'plans',
    attributes: {
      slug: p.slug,
      name: p.name,
      features: ['ssh', 'raid', 'user_data'],
      specs: { cpu: p.cpu, memory: { total: p.memoryGb }, drives: p.drives, nics: p.nics, gpu: p.gpu ?? {} },
      regions: p.regions.map((r) => {
        const inStock = r.available.filter((site) => (st.stock.get(`${p.slug}@${site}`) ?? 0) > 0);
        const left = r.available.reduce((n, site) => n + (st.stock.get(`${p.slug}@${site}`) ?? 0), 0);
        const level = left === 0 ? 'unavailable' : left <= STOCK_BY_LEVEL.low ? 'low' : left <= STOCK_BY_LEVEL.medium ? 'medium' : 'high';
        return {
          name: r.name,
          deploys_instantly: inStock.length ? r.deploysInstantly : [],
          locations: { available: r.available, in_stock: inStock },
          stock_level: level,
          pricing: { USD: r.usd, BRL: { hour: Math.round(r.usd.hour * 490) / 100, month: Math.round(r.usd.month * 4.9), year: Math.round(r.usd.year * 4.9) } },
        };
      }),
    },
  };
}

/** page[number] / page[size] (default 20, as the SDK, at most 100), with the total in meta.stats when asked; only the page is rendered. */
export function paginate<T>(records: readonly T[], req: EmuRequest, render: (r: T) => unknown = (x) => x): EmuResponse {
  const p = pageOf(records, req.query, { defaultPerPage: 20, maxPerPage: 100, pageParam: 'page[number]', perPageParam: 'page[size]' });
  const meta = req.query.get('stats[total]') ? { stats: { total: { count: p.total } } } : {};
  return { status: 200, body: { data: p.items.map(render), meta } };
}

export { TEAM };
