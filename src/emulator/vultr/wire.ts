/** Records → Vultr's wire shapes (vultr-api-v2 components instance, baremetal, snapshot, …). */
import { metalPlanById, osById, planById } from './catalog.js';
import { vultrDate } from './http.js';
import type { BlockRec, FirewallGroupRec, FirewallRuleRec, MachineRec, SnapshotRec, SshKeyRec, VpcRec, VultrState } from './state.js';

function osName(m: MachineRec): string {
  return osById(m.osId)?.name ?? 'Custom';
}

function addresses(st: VultrState, m: MachineRec) {
  const has = st.hasAddress(m);
  return {
    main_ip: has ? m.ipv4 : '0.0.0.0',
    netmask_v4: has ? '255.255.254.0' : '',
    gateway_v4: has ? m.ipv4.replace(/\.\d+$/, '.1') : '0.0.0.0',
    v6_main_ip: has && m.ipv6 ? m.ipv6 : '',
    v6_network: has && m.ipv6 ? m.ipv6.replace(/::1$/, '::') : '',
    v6_network_size: has && m.ipv6 ? 64 : 0,
  };
}

export function instanceWire(st: VultrState, m: MachineRec, withPassword = false): Record<string, unknown> {
  const plan = planById(m.plan);
  const { status, serverStatus } = st.status(m);
  const a = addresses(st, m);
  return {
    id: m.id,
    os: osName(m),
    ram: plan?.ram ?? 0,
    disk: plan?.disk ?? 0,
    main_ip: a.main_ip,
    vcpu_count: plan?.vcpu_count ?? 0,
    region: m.region,
    plan: m.plan,
    date_created: vultrDate(m.createdAt),
    status,
    allowed_bandwidth: plan?.bandwidth ?? 0,
    netmask_v4: a.netmask_v4,
    gateway_v4: a.gateway_v4,
    power_status: st.powerStatus(m),
    server_status: serverStatus,
    v6_network: a.v6_network,
    v6_main_ip: a.v6_main_ip,
    v6_network_size: a.v6_network_size,
    label: m.label,
    internal_ip: '',
    kvm: `https://my.vultr.com/subs/vps/novnc/api.php?data=${m.id.replace(/-/g, '')}`,
    hostname: m.hostname,
    os_id: m.osId,
    app_id: m.appId,
    image_id: m.imageId,
    firewall_group_id: m.firewallGroupId,
    features: a.v6_main_ip ? ['ipv6'] : [],
    tags: [...m.tags],
    ...(withPassword ? { default_password: m.defaultPassword } : {}),
  };
}

/** Bare metal: ram and disk are strings ("32768 MB", "2x 240 GB SSD"), as the API writes them. */
export function bareMetalWire(st: VultrState, m: MachineRec, withPassword = false): Record<string, unknown> {
  const plan = metalPlanById(m.plan);
  const { status, serverStatus } = st.status(m);
  const a = addresses(st, m);
  return {
    id: m.id,
    os: osName(m),
    ram: `${plan?.ram ?? 0} MB`,
    disk: plan ? `${plan.disk_count}x ${plan.disk} GB ${plan.type}` : '',
    main_ip: a.main_ip,
    cpu_count: plan?.cpu_count ?? 0,
    region: m.region,
    date_created: vultrDate(m.createdAt),
    status,
    // power_status and server_status are in the public documentation of bare metal, newer than the 2023 spec.
    power_status: st.powerStatus(m),
    server_status: serverStatus,
    netmask_v4: a.netmask_v4,
    gateway_v4: a.gateway_v4,
    plan: m.plan,
    label: m.label,
    os_id: m.osId,
    app_id: m.appId,
    image_id: m.imageId,
    v6_network: a.v6_network,
    v6_main_ip: a.v6_main_ip,
    v6_network_size: a.v6_network_size,
    mac_address: 2199023255552 + parseInt(m.id.slice(0, 6), 16),
    tags: [...m.tags],
    ...(withPassword ? { default_password: m.defaultPassword } : {}),
  };
}

export function snapshotWire(st: VultrState, s: SnapshotRec): Record<string, unknown> {
  const done = st.now() >= s.readyAt;
  return {
    id: s.id,
    date_created: vultrDate(s.createdAt),
    description: s.description,
    size: done ? s.sizeBytes : 0,
    compressed_size: done ? Math.round(s.sizeBytes / 3) : 0,
    status: done ? 'complete' : 'pending',
    os_id: s.osId,
    app_id: 0,
  };
}

export const sshKeyWire = (k: SshKeyRec) => ({ id: k.id, date_created: vultrDate(k.createdAt), name: k.name, ssh_key: k.sshKey });

export const vpcWire = (v: VpcRec) => ({
  id: v.id,
  region: v.region,
  date_created: vultrDate(v.createdAt),
  description: v.description,
  v4_subnet: v.subnet,
  v4_subnet_mask: v.mask,
});

export function firewallGroupWire(st: VultrState, g: FirewallGroupRec): Record<string, unknown> {
  const instances = [...st.machines.values()].filter((m) => m.firewallGroupId === g.id).length;
  return {
    id: g.id,
    description: g.description,
    date_created: vultrDate(g.createdAt),
    date_modified: vultrDate(g.modifiedAt),
    instance_count: instances,
    rule_count: g.rules.length,
    max_rule_count: 50,
  };
}

export const firewallRuleWire = (r: FirewallRuleRec) => ({
  id: r.id,
  type: r.ipType,
  ip_type: r.ipType,
  action: 'accept',
  protocol: r.protocol,
  port: r.port,
  subnet: r.subnet,
  subnet_size: r.subnetSize,
  source: r.source,
  notes: r.notes,
});

export function blockWire(st: VultrState, b: BlockRec): Record<string, unknown> {
  return {
    id: b.id,
    cost: Math.round(b.sizeGb * 0.1 * 100) / 100,
    status: st.now() >= b.readyAt ? 'active' : 'pending',
    size_gb: b.sizeGb,
    region: b.region,
    attached_to_instance: b.attachedTo,
    date_created: vultrDate(b.createdAt),
    label: b.label,
    mount_id: `${b.region}-${b.id.slice(0, 12)}`,
    block_type: b.blockType,
  };
}
