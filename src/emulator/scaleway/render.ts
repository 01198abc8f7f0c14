/** Wire renderers of the Instance API resources, in the shapes the Instance v1 description gives. */
import { ROOT_VOLUME_BYTES } from './catalog.js';
import type { BlockVolumeRec, ImageRec, NicRec, ScalewayState, SecurityGroupRec, ServerRec } from './state.js';

const ALLOWED: Record<string, string[]> = {
  running: ['poweroff', 'terminate', 'reboot', 'stop_in_place', 'backup'],
  stopped: ['poweron', 'backup'],
  starting: [],
  stopping: [],
};

export function renderNic(st: ScalewayState, n: NicRec): Record<string, unknown> {
  return { id: n.id, server_id: n.serverId, private_network_id: n.privateNetworkId, mac_address: n.mac, state: 'available', tags: [], creation_date: st.iso(n.createdAt), zone: n.zone };
}

function renderServerVolume(st: ScalewayState, s: ServerRec, index: string, v: BlockVolumeRec | undefined, id: string): Record<string, unknown> {
  return {
    id,
    name: v?.name ?? '',
    organization: s.project,
    project: s.project,
    server: { id: s.id, name: s.name },
    size: v?.size ?? ROOT_VOLUME_BYTES,
    volume_type: 'sbs_volume',
    state: 'available',
    boot: index === '0',
    zone: s.zone,
  };
}

export function renderServer(st: ScalewayState, s: ServerRec): Record<string, unknown> {
  const state = st.serverState(s);
  const ip = st.hasAddress(s)
    ? { id: s.ipId, address: s.ipAddress, gateway: '62.210.0.1', netmask: '32', family: 'inet', dynamic: s.dynamicIp, provisioning_mode: 'dhcp', tags: [], ipam_id: s.ipId, state: 'attached' }
    : null;
  const sg = st.securityGroups.get(s.securityGroupId);
  return {
    id: s.id,
    name: s.name,
    organization: s.project,
    project: s.project,
    allowed_actions: ALLOWED[state] ?? [],
    tags: [...s.tags],
    commercial_type: s.commercialType,
    creation_date: st.iso(s.createdAt),
    dynamic_ip_required: s.dynamicIp,
    routed_ip_enabled: true,
    enable_ipv6: false,
    hostname: s.name,
    image: { id: s.imageId, name: s.imageName, arch: s.arch, creation_date: st.iso(s.createdAt - 86_400_000), modification_date: st.iso(s.createdAt - 86_400_000), default_bootscript: null, extra_volumes: {}, from_server: '', organization: s.project, public: true, root_volume: null, state: 'available', project: s.project, tags: [], zone: s.zone },
    protected: false,
    private_ip: null,
    public_ip: ip,
    public_ips: ip ? [ip] : [],
    mac_address: 'de:00:00:00:00:01',
    modification_date: st.iso(s.modifiedAt),
    state,
    location: state === 'stopped' ? null : { cluster_id: '12', hypervisor_id: '401', node_id: '7', platform_id: '14', zone_id: s.zone },
    ipv6: null,
    boot_type: 'local',
    volumes: Object.fromEntries(Object.entries(s.volumes).map(([k, id]) => [k, renderServerVolume(st, s, k, st.volumes.get(id), id)])),
    security_group: { id: s.securityGroupId, name: sg?.name ?? 'Default security group' },
    maintenances: [],
    state_detail: state === 'running' ? 'booted' : state === 'stopped' ? '' : 'provisioning node',
    arch: s.arch,
    placement_group: null,
    private_nics: [...st.nics.values()].filter((n) => n.serverId === s.id).map((n) => renderNic(st, n)),
    zone: s.zone,
    filesystems: [],
    end_of_service: false,
  };
}

export function renderImage(st: ScalewayState, i: ImageRec): Record<string, unknown> {
  const snap = st.snapshots.get(i.rootSnapshotId);
  return {
    id: i.id,
    name: i.name,
    arch: i.arch,
    creation_date: st.iso(i.createdAt),
    modification_date: st.iso(i.createdAt),
    default_bootscript: null,
    extra_volumes: {},
    from_server: i.fromServer,
    organization: i.project,
    public: false,
    root_volume: { id: i.rootSnapshotId, name: snap?.name ?? i.name, size: snap?.size ?? ROOT_VOLUME_BYTES, volume_type: 'sbs_snapshot' },
    state: st.now() < i.readyAt ? 'creating' : 'available',
    project: i.project,
    tags: [...i.tags],
    zone: i.zone,
  };
}

export function renderSecurityGroup(st: ScalewayState, g: SecurityGroupRec): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    enable_default_security: true,
    inbound_default_policy: g.inbound,
    outbound_default_policy: g.outbound,
    organization: g.project,
    project: g.project,
    tags: [...g.tags],
    organization_default: false,
    project_default: g.projectDefault,
    creation_date: st.iso(g.createdAt),
    modification_date: st.iso(g.createdAt),
    servers: [...st.servers.values()].filter((s) => s.securityGroupId === g.id).map((s) => ({ id: s.id, name: s.name })),
    stateful: g.stateful,
    state: 'available',
    zone: g.zone,
  };
}

export function task(st: ScalewayState, description: string, zone: string, hrefFrom: string, hrefResult: string, until: number): Record<string, unknown> {
  const done = st.now() >= until;
  return {
    id: st.uuid(),
    description,
    progress: done ? 100 : 0,
    started_at: st.iso(st.now()),
    terminated_at: done ? st.iso(until) : null,
    status: done ? 'success' : 'pending',
    href_from: hrefFrom,
    href_result: hrefResult,
    zone,
  };
}
