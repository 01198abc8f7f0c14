/**
 * DigitalOcean API v2 wire shapes, as described by DigitalOcean-public.v2 (OpenAPI 3.0).
 * Only the fields ferry reads or writes; the emulator produces the full objects.
 */

export interface DoLinks {
  pages?: { first?: string; prev?: string; next?: string; last?: string };
  actions?: { id: number; rel: string; href: string }[];
}

export interface DoMeta {
  total: number;
}

/** Every list response: `{ <key>: T[], links, meta }`. */
export type DoList<K extends string, T> = { [P in K]: T[] } & { links?: DoLinks; meta: DoMeta };

export interface DoError {
  id: string;
  message: string;
  request_id?: string;
}

export interface DoNetworkV4 {
  ip_address: string;
  netmask: string;
  gateway: string;
  type: 'public' | 'private';
}

export interface DoNetworkV6 {
  ip_address: string;
  netmask: number;
  gateway: string;
  type: 'public';
}

export interface DoRegion {
  name: string;
  slug: string;
  features?: string[];
  /** The spec's default is true: an answer without the field means available. */
  available?: boolean | null;
  sizes?: string[];
}

export interface DoGpuInfo {
  count?: number;
  model?: string;
  vram?: { amount?: number; unit?: string };
}

export interface DoDiskInfo {
  type?: 'local' | 'boot' | 'scratch';
  size?: { amount?: number; unit?: string };
}

export interface DoSize {
  slug: string;
  /** MiB */
  memory: number;
  vcpus: number;
  /** GiB */
  disk: number;
  /** TiB of outbound transfer a month */
  transfer: number;
  price_monthly: number;
  price_hourly: number;
  regions?: string[] | null;
  /** The spec's default is true: an answer without the field means available. */
  available?: boolean | null;
  description?: string;
  disk_info?: DoDiskInfo[];
  gpu_info?: DoGpuInfo;
}

export type DoImageType = 'base' | 'snapshot' | 'backup' | 'custom' | 'admin';

export interface DoImage {
  id: number;
  name: string;
  type: DoImageType;
  distribution: string;
  slug: string | null;
  public: boolean;
  regions: string[];
  created_at: string;
  min_disk_size: number | null;
  size_gigabytes: number | null;
  description?: string;
  tags?: string[] | null;
  status: 'NEW' | 'available' | 'pending' | 'deleted' | 'retired';
  error_message?: string;
}

export type DoDropletStatus = 'new' | 'active' | 'off' | 'archive';

export interface DoDroplet {
  id: number;
  name: string;
  memory: number;
  vcpus: number;
  disk: number;
  locked: boolean;
  /** A string rather than the enum: an unknown state must map to `unknown`, not fail. */
  status: string;
  created_at: string;
  features: string[];
  backup_ids: number[];
  next_backup_window: { start: string; end: string } | null;
  snapshot_ids: number[];
  image: Partial<DoImage>;
  volume_ids: string[];
  size: DoSize;
  size_slug: string;
  networks: { v4?: DoNetworkV4[]; v6?: DoNetworkV6[] };
  region: DoRegion;
  tags: string[];
  vpc_uuid?: string;
}

/** POST /v2/droplets, single form (droplet_single_create). */
export interface DoDropletCreate {
  name: string;
  region?: string;
  size: string;
  image: string | number;
  ssh_keys?: (string | number)[];
  backups?: boolean;
  ipv6?: boolean;
  monitoring?: boolean;
  tags?: string[];
  user_data?: string;
  vpc_uuid?: string;
}

export type DoActionStatus = 'in-progress' | 'completed' | 'errored';

export interface DoAction {
  id: number;
  status: DoActionStatus;
  type: string;
  started_at: string;
  completed_at: string | null;
  resource_id: number | null;
  resource_type: string;
  region?: DoRegion;
  region_slug: string | null;
}

/** GET /v2/snapshots: ids are strings here... */
export interface DoSnapshot {
  id: string;
  name: string;
  created_at: string;
  regions: string[];
  min_disk_size: number;
  size_gigabytes: number;
  resource_id: string;
  resource_type: 'droplet' | 'volume';
  tags: string[] | null;
}

/** ...and integers in GET /v2/droplets/{id}/snapshots. */
export interface DoDropletSnapshot {
  id: number;
  name: string;
  created_at: string;
  regions: string[];
  min_disk_size: number;
  size_gigabytes: number;
  type: 'snapshot' | 'backup';
}

export interface DoSshKey {
  id: number;
  fingerprint: string;
  public_key: string;
  name: string;
}

export interface DoAccount {
  droplet_limit: number;
  floating_ip_limit: number;
  email: string;
  uuid: string;
  email_verified: boolean;
  status: 'active' | 'warning' | 'locked';
  status_message: string;
}

/** A firewall rule's peers: only addresses are used by ferry; the API also knows droplets, tags, LBs. */
export interface DoFirewallPeers {
  addresses?: string[];
  droplet_ids?: number[];
  load_balancer_uids?: string[];
  kubernetes_ids?: string[];
  tags?: string[] | null;
}

/** `ports` is a port, a range "8000-9000", or "0" for every port of the protocol. */
export interface DoInboundRule {
  protocol: 'tcp' | 'udp' | 'icmp';
  ports: string;
  sources: DoFirewallPeers;
}

export interface DoOutboundRule {
  protocol: 'tcp' | 'udp' | 'icmp';
  ports: string;
  destinations: DoFirewallPeers;
}

export interface DoFirewall {
  id: string;
  name: string;
  status: 'waiting' | 'succeeded' | 'failed';
  created_at: string;
  droplet_ids: number[] | null;
  /** Droplets carrying one of these tags get the firewall: an assignment, not a label. */
  tags: string[] | null;
  inbound_rules: DoInboundRule[] | null;
  outbound_rules: DoOutboundRule[] | null;
}

/** POST /v2/firewalls. */
export interface DoFirewallCreate {
  name: string;
  inbound_rules: DoInboundRule[];
  outbound_rules: DoOutboundRule[];
}

/** Block storage volume: ids are UUIDs, sizes whole GiB, one droplet at most. */
export interface DoVolume {
  id: string;
  name: string;
  size_gigabytes: number;
  region: DoRegion;
  droplet_ids: number[] | null;
  created_at: string;
  tags: string[] | null;
  description?: string;
  filesystem_type?: string;
  filesystem_label?: string;
}

/** POST /v2/volumes (volumes_ext4 / volumes_xfs). */
export interface DoVolumeCreate {
  name: string;
  size_gigabytes: number;
  region: string;
  tags?: string[];
  filesystem_type?: 'ext4' | 'xfs';
}

/** POST /v2/volumes/{id}/actions, the attach and detach forms. */
export interface DoVolumeAction {
  type: 'attach' | 'detach';
  droplet_id: number;
  region: string;
}

/** A VPC: one region's private network. Names are unique in the account. */
export interface DoVpc {
  id: string;
  urn: string;
  name: string;
  description?: string;
  region: string;
  ip_range: string;
  default: boolean;
  created_at: string;
}

/** POST /v2/vpcs; without ip_range DigitalOcean picks a free range. */
export interface DoVpcCreate {
  name: string;
  region: string;
}
