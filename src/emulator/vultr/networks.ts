/** /v2/vpcs, /v2/firewalls (groups and their rules) and /v2/blocks (block storage, attach/detach). */
import type { Router } from '../engine/index.js';
import { regionById } from './catalog.js';
import { badRequest, bodyOf, isResponse, noContent, notFound, paginate } from './http.js';
import type { FirewallRuleRec, VultrState } from './state.js';
import { blockWire, firewallGroupWire, firewallRuleWire, vpcWire } from './wire.js';

export function registerVpcs(router: Router, st: VultrState): void {
  let nextNet = 1;
  router.on('POST', '/v2/vpcs', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    if (typeof body.region !== 'string' || !regionById(body.region)) return badRequest('Invalid region.');
    const subnet = typeof body.v4_subnet === 'string' && body.v4_subnet ? body.v4_subnet : `10.${nextNet++ % 250}.96.0`;
    const mask = typeof body.v4_subnet_mask === 'number' ? body.v4_subnet_mask : 20;
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(subnet) || mask < 8 || mask > 29) return badRequest('Invalid v4_subnet or v4_subnet_mask.');
    const vpc = { id: st.uuid(), region: body.region, description: typeof body.description === 'string' ? body.description : '', subnet, mask, createdAt: st.now() };
    st.vpcs.set(vpc.id, vpc);
    return { status: 201, body: { vpc: vpcWire(vpc) } };
  });
  router.on('GET', '/v2/vpcs', (req) => paginate('vpcs', [...st.vpcs.values()], req.query, vpcWire));
  router.on('GET', '/v2/vpcs/:id', (req) => {
    const v = st.vpcs.get(req.params.id ?? '');
    return v ? { status: 200, body: { vpc: vpcWire(v) } } : notFound('vpc-id');
  });
  router.on('DELETE', '/v2/vpcs/:id', (req) => {
    const id = req.params.id ?? '';
    if (!st.vpcs.has(id)) return notFound('vpc-id');
    if ([...st.machines.values()].some((m) => m.vpcIds.includes(id))) return badRequest('Unable to delete VPC: instances are still attached.');
    st.vpcs.delete(id);
    return noContent;
  });
}

export function registerFirewalls(router: Router, st: VultrState): void {
  router.on('POST', '/v2/firewalls', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const now = st.now();
    const g = { id: st.uuid(), description: typeof body.description === 'string' ? body.description : '', createdAt: now, modifiedAt: now, rules: [], nextRuleId: 1 };
    st.firewalls.set(g.id, g);
    return { status: 201, body: { firewall_group: firewallGroupWire(st, g) } };
  });
  router.on('GET', '/v2/firewalls', (req) => paginate('firewall_groups', [...st.firewalls.values()], req.query, (g) => firewallGroupWire(st, g)));
  router.on('GET', '/v2/firewalls/:id', (req) => {
    const g = st.firewalls.get(req.params.id ?? '');
    return g ? { status: 200, body: { firewall_group: firewallGroupWire(st, g) } } : notFound('firewall-group-id');
  });
  router.on('DELETE', '/v2/firewalls/:id', (req) => {
    const id = req.params.id ?? '';
    if (!st.firewalls.has(id)) return notFound('firewall-group-id');
    st.firewalls.delete(id);
    for (const m of st.machines.values()) if (m.firewallGroupId === id) m.firewallGroupId = '';
    return noContent;
  });
  router.on('GET', '/v2/firewalls/:id/rules', (req) => {
    const g = st.firewalls.get(req.params.id ?? '');
    return g ? paginate('firewall_rules', g.rules, req.query, firewallRuleWire) : notFound('firewall-group-id');
  });
  router.on('POST', '/v2/firewalls/:id/rules', (req) => {
    const g = st.firewalls.get(req.params.id ?? '');
    if (!g) return notFound('firewall-group-id');
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const ipType = body.ip_type;
    const protocol = body.protocol;
    if (ipType !== 'v4' && ipType !== 'v6') return badRequest('Invalid ip_type: must be v4 or v6.');
    if (typeof protocol !== 'string' || !['icmp', 'tcp', 'udp', 'gre', 'esp', 'ah'].includes(protocol.toLowerCase())) return badRequest('Invalid protocol.');
    if (typeof body.subnet !== 'string' || typeof body.subnet_size !== 'number') return badRequest('Invalid subnet or subnet_size.');
    const port = typeof body.port === 'string' ? body.port : '';
    if ((protocol === 'tcp' || protocol === 'udp') && !/^\d{1,5}(:\d{1,5})?$/.test(port)) return badRequest('Invalid port: tcp and udp rules need a port or range.');
    const rule: FirewallRuleRec = {
      id: g.nextRuleId++,
      ipType,
      protocol: protocol.toLowerCase(),
      port,
      subnet: body.subnet,
      subnetSize: body.subnet_size,
      source: typeof body.source === 'string' ? body.source : '',
      notes: typeof body.notes === 'string' ? body.notes : '',
    };
    g.rules.push(rule);
    g.modifiedAt = st.now();
    return { status: 201, body: { firewall_rule: firewallRuleWire(rule) } };
  });
  router.on('DELETE', '/v2/firewalls/:id/rules/:rule', (req) => {
    const g = st.firewalls.get(req.params.id ?? '');
    const before = g?.rules.length ?? 0;
    if (g) g.rules = g.rules.filter((r) => String(r.id) !== req.params.rule);
    return g && g.rules.length < before ? noContent : notFound('firewall-rule-id');
  });
}

export function registerBlocks(router: Router, st: VultrState): void {
  router.on('POST', '/v2/blocks', (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    if (typeof body.region !== 'string' || !regionById(body.region)) return badRequest('Invalid region.');
    const size = body.size_gb;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 10 || size > 40_000) return badRequest('Invalid size_gb: 10 to 40000.');
    const now = st.now();
    const b = {
      id: st.uuid(),
      region: body.region,
      sizeGb: size,
      label: typeof body.label === 'string' ? body.label : '',
      blockType: typeof body.block_type === 'string' ? body.block_type : 'high_perf',
      createdAt: now,
      readyAt: now + st.ctx.config.actionMs,
      attachedTo: '',
    };
    st.blocks.set(b.id, b);
    return { status: 202, body: { block: blockWire(st, b) } };
  });
  router.on('GET', '/v2/blocks', (req) => paginate('blocks', [...st.blocks.values()], req.query, (b) => blockWire(st, b)));
  router.on('GET', '/v2/blocks/:id', (req) => {
    const b = st.blocks.get(req.params.id ?? '');
    return b ? { status: 200, body: { block: blockWire(st, b) } } : notFound('block-id');
  });
  router.on('POST', '/v2/blocks/:id/attach', (req) => {
    const b = st.blocks.get(req.params.id ?? '');
    if (!b) return notFound('block-id');
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const m = typeof body.instance_id === 'string' ? st.machine('instance', body.instance_id) : undefined;
    if (!m) return badRequest('Invalid instance_id.');
    if (st.now() < b.readyAt) return badRequest('Block storage is not ready yet.');
    if (m.region !== b.region) return badRequest('Block storage and instance must be in the same region.');
    if (b.attachedTo) return badRequest('Block storage is already attached.');
    b.attachedTo = m.id;
    return noContent;
  });
  router.on('POST', '/v2/blocks/:id/detach', (req) => {
    const b = st.blocks.get(req.params.id ?? '');
    if (!b) return notFound('block-id');
    if (!b.attachedTo) return badRequest('Block storage is not attached.');
    b.attachedTo = '';
    return noContent;
  });
  router.on('DELETE', '/v2/blocks/:id', (req) => {
    const id = req.params.id ?? '';
    const b = st.blocks.get(id);
    if (!b) return notFound('block-id');
    if (b.attachedTo) return badRequest('Unable to delete attached block storage: detach it first.');
    st.blocks.delete(id);
    return noContent;
  });
}
