/**
 * Pure converters between OVH's wire shapes and ferry's types. OVH dedicated servers carry no tags,
 * so ferry's identity rides on the cart it orders through: the cart's description is
 * "ferry <name> <region> <plan> <label tags…>" (labels as k:v tags, see core/kit/tags), the cart id
 * is ferry's handle for the server, and the cart's expiry is its creation time + CART_LIFETIME_MS.
 */
import { labelsToTags, ProviderError, tagsToLabels, type Image, type ImageSpec, type Instance, type InstanceState } from '../../core/index.js';
import type { OvhCatalogPlan, OvhServer } from './schema.js';

export const PROVIDER = 'ovh';
export const HOURS_PER_MONTH = 730;
/** ferry asks OVH to keep its carts a year: the cart is where the server's name and labels live. */
export const CART_LIFETIME_MS = 365 * 86400_000;
const PREFIX = 'ferry';

export interface CartIdentity {
  name: string;
  region: string;
  plan: string;
  labels: Record<string, string>;
}

export function cartDescription(id: CartIdentity): string {
  return [PREFIX, id.name, id.region, id.plan, ...labelsToTags(id.labels)].join(' ');
}

/** null for a cart ferry did not write. */
export function parseCartDescription(text: string | null | undefined): CartIdentity | null {
  const parts = (text ?? '').split(' ').filter(Boolean);
  if (parts[0] !== PREFIX || parts.length < 4) return null;
  return { name: parts[1]!, region: parts[2]!, plan: parts[3]!, labels: tagsToLabels(parts.slice(4)) };
}

export function createdAtOf(expire: string | null | undefined): string {
  const t = Date.parse(expire ?? '');
  return Number.isNaN(t) ? '' : new Date(t - CART_LIFETIME_MS).toISOString();
}

/** A cart id as OVH makes them; anything else (a service name) is not one. */
export const isCartId = (id: string) => /^[0-9a-z-]{6,64}$/i.test(id) && !id.includes('.');
/** A dedicated server's service name: ns123456.ip-1-2-3.eu, or any host-like name. */
export const isServiceName = (id: string) => /^[a-z0-9][a-z0-9.-]{2,253}$/i.test(id) && id.includes('.');

// status: an order walks checking → delivering → delivered; then the install task, then power.
export type Stage = 'ordered' | 'delivering' | 'installing' | 'ready' | 'unknown';

export const ORDER_STAGE: Readonly<Record<string, Stage>> = Object.freeze({
  checking: 'ordered',
  notPaid: 'ordered',
  documentsRequested: 'ordered',
  delivering: 'delivering',
  delivered: 'ready',
  cancelling: 'unknown',
  cancelled: 'unknown',
});

export const POWER_STATE: Readonly<Record<string, InstanceState>> = Object.freeze({ poweron: 'active', poweroff: 'off' });

export function serverState(s: OvhServer, installing: boolean): { state: InstanceState; raw: string } {
  if (installing) return { state: 'new', raw: 'installing' };
  if (s.state && s.state !== 'ok') return { state: 'unknown', raw: s.state };
  const p = s.powerState ?? '';
  return { state: POWER_STATE[p] ?? 'unknown', raw: p || 'unknown' };
}

/** OVH datacenter (gra3, rbx8, bhs8) → the order's datacenter value (gra, rbx, bhs). */
export function regionOfDatacenter(dc: string | null | undefined): string {
  return (dc ?? '').replace(/[-_]?\d+$/, '');
}

export function serverToInstance(s: OvhServer, installing: boolean, id: CartIdentity | null, handle: string, createdAt: string): Instance {
  if (typeof s.name !== 'string') throw new ProviderError({ kind: 'api', provider: PROVIDER, message: 'a dedicated server without a name' });
  return {
    provider: PROVIDER,
    id: handle,
    name: id?.name ?? s.name,
    status: serverState(s, installing),
    ipv4: typeof s.ip === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(s.ip) ? s.ip : null,
    ipv6: null,
    region: id?.region ?? regionOfDatacenter(s.datacenter),
    size: id?.plan ?? s.commercialRange ?? '',
    image: s.os ?? null,
    labels: id?.labels ?? {},
    createdAt,
  };
}

export function pendingInstance(cartId: string, id: CartIdentity, orderStatus: string, createdAt: string): Instance {
  return {
    provider: PROVIDER,
    id: cartId,
    name: id.name,
    status: { state: ORDER_STAGE[orderStatus] === 'ready' ? 'new' : ORDER_STAGE[orderStatus] === 'unknown' ? 'unknown' : 'new', raw: `order ${orderStatus}` },
    ipv4: null,
    ipv6: null,
    region: id.region,
    size: id.plan,
    image: null,
    labels: id.labels,
    createdAt,
  };
}

/** ferry's image spec → an OVH OS template name (the catalog's dedicated_os values). */
export function imageToTemplate(spec: ImageSpec): string {
  switch (spec.kind) {
    case 'ubuntu':
      return `ubuntu${spec.version.replace('.', '')}-server_64`;
    case 'debian':
      return `debian${spec.version}_64`;
    case 'custom':
      return spec.id;
    case 'snapshot':
      return `snapshot:${spec.id}`;
  }
}

export function templateToImage(t: string): Image {
  const name = t.replace(/\.en$/, '');
  let m = /^ubuntu(\d{2})(\d{2})-server_64$/.exec(name);
  if (m) return { id: name, name: `Ubuntu ${m[1]}.${m[2]}`, distribution: 'ubuntu', version: `${m[1]}.${m[2]}` };
  m = /^debian(\d+)_64$/.exec(name);
  if (m) return { id: name, name: `Debian ${m[1]}`, distribution: 'debian', version: m[1]! };
  return { id: name, name, distribution: name.replace(/[\d_-].*$/, '') || null, version: null };
}

/** Hardware of a plan from the public catalog's blobs.technical; null when the catalog does not say. */
export function planHardware(p: OvhCatalogPlan): { vcpus: number; memoryGb: number; diskGb: number; gpu: string | null; gpuCount: number; gpuMemoryGb: number | null } | null {
  const t = p.blobs?.technical;
  const vcpus = t?.cpu?.threads ?? t?.cpu?.cores;
  const memoryGb = t?.memory?.size;
  if (typeof vcpus !== 'number' || typeof memoryGb !== 'number') return null;
  const diskGb = (t?.storage?.disks ?? []).reduce((s, d) => s + (d.capacity ?? 0) * (d.number ?? 1), 0);
  return { vcpus, memoryGb, diskGb, gpu: t?.gpu?.model ?? null, gpuCount: t?.gpu?.number ?? 0, gpuMemoryGb: t?.gpu?.memory?.size ?? null };
}

export interface PlanPrice {
  monthly: number;
  setupFee: number;
  commitmentMonths: number;
  pricingMode: string;
}

/** The month-to-month price of a plan (commitment 1, renew), its setup fee, in the catalog's currency. */
export function planPrices(p: OvhCatalogPlan): PlanPrice[] {
  const ucents = 100_000_000;
  const out: PlanPrice[] = [];
  for (const r of p.pricings ?? []) {
    if (!(r.capacities ?? []).includes('renew') || (r.interval ?? 1) !== 1) continue;
    const setup = (p.pricings ?? []).find((x) => (x.capacities ?? []).includes('installation') && x.mode === r.mode && x.commitment === r.commitment);
    // commitment 0 (or 1) is month to month.
    out.push({ monthly: (r.price ?? 0) / ucents, setupFee: (setup?.price ?? 0) / ucents, commitmentMonths: Math.max(r.commitment ?? 0, 1), pricingMode: r.mode ?? 'default' });
  }
  return out;
}
