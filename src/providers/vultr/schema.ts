/**
 * Vultr API v2 wire types. Followed document: Vultr's official OpenAPI description
 * (shared/specs/vultr/vultr-api-v2.openapi.json, committed by Vultr 2023-02-01) and, for what
 * is newer than it, the public reference at https://www.vultr.com/api/ — each such field says so:
 *  - plans: `hourly_cost`, GPU plans' `gpu_vram_gb` / `gpu_type`; `monthly_cost` is a decimal
 *    (2.5) where the 2023 spec says integer.
 *  - bare metal: `ipxe_chain_url` on create ("If used, os_id must be set to 159"),
 *    `power_status` / `server_status`; /plans-metal lists under `plans_metal` (the spec says `plans`).
 *  - the update (PATCH) of instances and bare metal carries `ipxe_chain_url` with os_id 159 to
 *    reinstall into iPXE: documented only on create; ferry sends it on the update as the
 *    bare-metal design note prescribes ("ipxe_chain_url on create and reinstall").
 * Every field is optional here: the readers in mapping.ts tolerate missing and null values.
 */

export interface VuMeta {
  total?: number | null;
  links?: { next?: string | null; prev?: string | null } | null;
}

export interface VuInstance {
  id: string;
  os?: string | null;
  ram?: number | null;
  disk?: number | null;
  main_ip?: string | null;
  vcpu_count?: number | null;
  region?: string | null;
  plan?: string | null;
  date_created?: string | null;
  /** active | pending | suspended | resizing */
  status?: string | null;
  /** running | stopped */
  power_status?: string | null;
  /** none | locked | installingbooting | ok */
  server_status?: string | null;
  v6_main_ip?: string | null;
  label?: string | null;
  hostname?: string | null;
  os_id?: number | null;
  firewall_group_id?: string | null;
  tags?: string[] | null;
  default_password?: string | null;
}

/** Bare metal: ram and disk are strings ("32768 MB"); cpu_count instead of vcpu_count. */
export interface VuBareMetal extends Omit<VuInstance, 'ram' | 'disk' | 'vcpu_count'> {
  ram?: string | null;
  disk?: string | null;
  cpu_count?: number | null;
}

export interface VuCreateMachine {
  region: string;
  plan: string;
  os_id?: number;
  snapshot_id?: string;
  ipxe_chain_url?: string;
  label?: string;
  hostname?: string;
  /** Base64. */
  user_data?: string;
  sshkey_id?: string[];
  tags?: string[];
  enable_ipv6?: boolean;
}

export interface VuUpdateMachine {
  /** A string on PATCH /instances, an integer on PATCH /bare-metals (as the spec types them). */
  os_id?: number | string;
  ipxe_chain_url?: string;
  label?: string;
  tags?: string[];
}

export interface VuRegion {
  id: string;
  city?: string | null;
  country?: string | null;
  continent?: string | null;
  options?: string[] | null;
}

export interface VuPlan {
  id: string;
  vcpu_count?: number | null;
  ram?: number | null;
  disk?: number | null;
  disk_count?: number | null;
  bandwidth?: number | null;
  monthly_cost?: number | null;
  hourly_cost?: number | null;
  type?: string | null;
  locations?: string[] | null;
  gpu_vram_gb?: number | null;
  gpu_type?: string | null;
}

export interface VuMetalPlan {
  id: string;
  cpu_count?: number | null;
  cpu_threads?: number | null;
  cpu_model?: string | null;
  ram?: number | null;
  disk?: number | null;
  disk_count?: number | null;
  monthly_cost?: number | null;
  hourly_cost?: number | null;
  type?: string | null;
  locations?: string[] | null;
}

export interface VuOs {
  id: number;
  name?: string | null;
  arch?: string | null;
  family?: string | null;
}

export interface VuSnapshot {
  id: string;
  date_created?: string | null;
  description?: string | null;
  size?: number | null;
  status?: string | null;
  os_id?: number | null;
}

export interface VuSshKey {
  id: string;
  name?: string | null;
  ssh_key?: string | null;
  date_created?: string | null;
}

export interface VuVpc {
  id: string;
  region?: string | null;
  description?: string | null;
  v4_subnet?: string | null;
  v4_subnet_mask?: number | null;
}

export interface VuFirewallGroup {
  id: string;
  description?: string | null;
  rule_count?: number | null;
}

export interface VuFirewallRuleRequest {
  ip_type: 'v4' | 'v6';
  protocol: 'tcp' | 'udp' | 'icmp';
  subnet: string;
  subnet_size: number;
  port?: string;
  notes?: string;
}

export interface VuBlock {
  id: string;
  status?: string | null;
  size_gb?: number | null;
  region?: string | null;
  attached_to_instance?: string | null;
  label?: string | null;
  mount_id?: string | null;
}

/** Vultr's error body. */
export interface VuError {
  error?: string | null;
  status?: number | null;
}
