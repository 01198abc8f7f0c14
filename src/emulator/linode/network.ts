/** Cloud firewalls, VPCs and block-storage volumes (attach and detach report through events). */
import type { EmuRequest, Router } from '../engine/index.js';
import { badField, lnError, notFound } from './errors.js';
import { REGIONS } from './seed.js';
import type { LinodeState } from './state.js';
import { firewallWire, pageOf, volumeWire, vpcWire } from './wire.js';

const FW_LABEL = /^[a-zA-Z](?!.*(--|__|\.\.))[a-zA-Z0-9-_.]{2,31}$/;
const VPC_LABEL = /^[a-zA-Z0-9](?!.*--)[a-zA-Z0-9-]{0,63}$/;
const byNum = <T>(m: Map<number, T>, raw: string | undefined) => (raw && /^\d{1,16}$/.test(raw) ? m.get(Number(raw)) : undefined);

export function registerNetwork(router: Router, st: LinodeState): void {
  const acc = (req: EmuRequest) => st.account(req.token);

  // firewalls
  router.on('GET', '/v4/networking/firewalls', (req) => pageOf(req, [...acc(req).firewalls.values()], firewallWire));
  router.on('GET', '/v4/networking/firewalls/:id', (req) => {
    const f = byNum(acc(req).firewalls, req.params.id);
    return f ? { status: 200, body: firewallWire(f) } : notFound();
  });
  router.on('POST', '/v4/networking/firewalls', (req) => {
    const a = acc(req);
    const b = req.body ?? {};
    if (typeof b.label !== 'string' || !FW_LABEL.test(b.label)) return badField('label', 'Label must be 3-32 characters and start with a letter');
    if ([...a.firewalls.values()].some((f) => f.label === b.label)) return badField('label', 'Label must be unique among your Cloud Firewalls');
    const rules = b.rules && typeof b.rules === 'object' ? b.rules : {};
    const f = {
      id: st.id(),
      label: b.label,
      tags: [...new Set<string>(b.tags ?? [])],
      rules: { inbound_policy: rules.inbound_policy ?? 'ACCEPT', outbound_policy: rules.outbound_policy ?? 'ACCEPT', inbound: rules.inbound ?? [], outbound: rules.outbound ?? [], version: 1, fingerprint: '6f1d2e3a' },
      created: st.now(),
      devices: [] as number[],
    };
    a.firewalls.set(f.id, f);
    return { status: 200, body: firewallWire(f) };
  });
  router.on('DELETE', '/v4/networking/firewalls/:id', (req) => (acc(req).firewalls.delete(Number(req.params.id)) ? { status: 200, body: {} } : notFound()));

  // VPCs
  router.on('GET', '/v4/vpcs', (req) => pageOf(req, [...acc(req).vpcs.values()], (v) => vpcWire(st, v)));
  router.on('GET', '/v4/vpcs/:id', (req) => {
    const v = byNum(acc(req).vpcs, req.params.id);
    return v ? { status: 200, body: vpcWire(st, v) } : notFound();
  });
  router.on('POST', '/v4/vpcs', (req) => {
    const a = acc(req);
    const b = req.body ?? {};
    if (typeof b.label !== 'string' || !VPC_LABEL.test(b.label)) return badField('label', 'Label must be 1-64 letters, numbers and hyphens');
    if (!REGIONS.some((r) => r.id === b.region && r.capabilities.includes('VPCs'))) return badField('region', 'Region does not support VPCs');
    if ([...a.vpcs.values()].some((v) => v.label === b.label)) return badField('label', 'Label must be unique among your VPCs');
    const subnets = Array.isArray(b.subnets) ? b.subnets : [];
    for (const s of subnets) if (!s || typeof s.label !== 'string' || typeof s.ipv4 !== 'string' || !/^10\.|^172\.(1[6-9]|2\d|3[01])\.|^192\.168\./.test(s.ipv4)) return badField('subnets', 'Subnet ipv4 must be an RFC1918 range');
    const now = st.now();
    const v = { id: st.id(), label: b.label, region: b.region, description: typeof b.description === 'string' ? b.description : '', subnets: subnets.map((s: { label: string; ipv4: string }) => ({ id: st.id(), label: s.label, ipv4: s.ipv4, created: now })), created: now };
    a.vpcs.set(v.id, v);
    return { status: 200, body: vpcWire(st, v) };
  });
  router.on('DELETE', '/v4/vpcs/:id', (req) => (acc(req).vpcs.delete(Number(req.params.id)) ? { status: 200, body: {} } : notFound()));

  // volumes
  const label = (req: EmuRequest, id: number | null) => (id === null ? null : (acc(req).linodes.get(id)?.label ?? null));
  const wire = (req: EmuRequest, v: Parameters<typeof volumeWire>[1]) => volumeWire(st, v, label(req, v.linodeId));
  router.on('GET', '/v4/volumes', (req) => pageOf(req, [...acc(req).volumes.values()], (v) => wire(req, v)));
  router.on('GET', '/v4/volumes/:id', (req) => {
    const v = byNum(acc(req).volumes, req.params.id);
    return v ? { status: 200, body: wire(req, v) } : notFound();
  });
  router.on('POST', '/v4/volumes', (req) => {
    const a = acc(req);
    const b = req.body ?? {};
    if (typeof b.label !== 'string' || !/^[a-zA-Z](?!.*(--|__))[a-zA-Z0-9-_]{0,31}$/.test(b.label)) return badField('label', 'Label must be 1-32 characters, starting with a letter');
    const size = b.size ?? 20;
    if (!Number.isInteger(size) || size < 10 || size > 16384) return badField('size', 'Size must be 10-16384 GB');
    const linode = b.linode_id ? a.linodes.get(Number(b.linode_id)) : undefined;
    if (b.linode_id && !linode) return lnError(404, 'Not found', 'linode_id');
    const region = linode?.region ?? b.region;
    if (!REGIONS.some((r) => r.id === region)) return badField('region', 'region is not valid');
    const now = st.now();
    const v = { id: st.id(), label: b.label, size, region, tags: [...new Set<string>(b.tags ?? [])], created: now, readyAt: now + st.ctx.config.actionMs, linodeId: linode?.id ?? null };
    a.volumes.set(v.id, v);
    st.event(a, 'volume_create', { id: v.id, type: 'volume', label: v.label, url: `/v4/volumes/${v.id}` }, st.ctx.config.actionMs);
    return { status: 200, body: wire(req, v) };
  });
  router.on('POST', '/v4/volumes/:id/attach', (req) => {
    const a = acc(req);
    const v = byNum(a.volumes, req.params.id);
    if (!v) return notFound();
    const linode = a.linodes.get(Number(req.body?.linode_id));
    if (!linode) return lnError(404, 'Not found', 'linode_id');
    if (linode.region !== v.region) return badField('linode_id', 'Volume and Linode must be in the same region');
    if (v.linodeId !== null && v.linodeId !== linode.id) return badField('volume_id', 'Volume is already attached to another Linode');
    if (st.now() < v.readyAt) return lnError(400, 'Volume is not ready yet');
    v.linodeId = linode.id;
    st.event(a, 'volume_attach', { id: v.id, type: 'volume', label: v.label, url: `/v4/volumes/${v.id}` }, st.ctx.config.actionMs);
    return { status: 200, body: wire(req, v) };
  });
  router.on('POST', '/v4/volumes/:id/detach', (req) => {
    const a = acc(req);
    const v = byNum(a.volumes, req.params.id);
    if (!v) return notFound();
    v.linodeId = null;
    st.event(a, 'volume_detach', { id: v.id, type: 'volume', label: v.label, url: `/v4/volumes/${v.id}` }, st.ctx.config.actionMs);
    return { status: 200, body: {} };
  });
  router.on('DELETE', '/v4/volumes/:id', (req) => {
    const a = acc(req);
    const v = byNum(a.volumes, req.params.id);
    if (!v) return notFound();
    if (v.linodeId !== null) return badField('volume_id', 'Volume must be detached before it can be deleted');
    a.volumes.delete(v.id);
    return { status: 200, body: {} };
  });
}
