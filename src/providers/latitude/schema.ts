/**
 * Latitude.sh API wire shapes (JSON:API: `{ data: { id, type, attributes } }`), as documented at
 * https://docs.latitude.sh/reference and generated into the official Go SDK
 * (github.com/latitudesh/latitudesh-go-sdk, models/components and models/operations), checked
 * against the recorded responses of github.com/latitudesh/terraform-provider-latitudesh
 * (latitudesh/fixtures/*.yaml). Only the fields ferry reads or writes; every one is optional on read.
 */

export interface LsResource<A, T extends string = string> {
  id?: string;
  type?: T;
  attributes?: A;
}

/** `{ data: [...], meta: { stats? } }`; page[number] / page[size] pagination, a short page ends it. */
export interface LsList<A> {
  data?: LsResource<A>[] | null;
  meta?: Record<string, unknown> | null;
}

export interface LsOne<A> {
  data?: LsResource<A> | null;
  meta?: Record<string, unknown> | null;
}

/** `{"errors":[{"code":"not_found","status":"404","title":"Error","detail":"Specified Record Not Found","meta":{}}]}` */
export interface LsErrorBody {
  errors?: { code?: string; status?: string; title?: string; detail?: string; source?: { pointer?: string; parameter?: string } }[];
}

export interface LsTagRef {
  id?: string;
  name?: string;
  description?: string | null;
  color?: string | null;
}

/** The statuses the SDK documents plus `starting_deploy`, which the create answer carries. */
export type LsServerStatus =
  | 'on'
  | 'off'
  | 'unknown'
  | 'disk_erasing'
  | 'deploying'
  | 'failed_deployment'
  | 'rescue_mode'
  | 'starting_deploy'
  | string;

export interface LsServerAttributes {
  tags?: LsTagRef[] | null;
  hostname?: string | null;
  label?: string | null;
  price?: number | null;
  role?: string | null;
  status?: LsServerStatus | null;
  primary_ipv4?: string | null;
  primary_ipv6?: string | null;
  created_at?: string | null;
  scheduled_deletion_at?: string | null;
  locked?: boolean | null;
  region?: { city?: string | null; country?: string | null; site?: { id?: string; name?: string; slug?: string; facility?: string } | null } | null;
  plan?: { id?: string; name?: string; slug?: string; billing?: string | null } | null;
  operating_system?: { name?: string; slug?: string; version?: string | null } | null;
  specs?: { cpu?: string; disk?: string; ram?: string; nic?: string; gpu?: string | null } | null;
  project?: { id?: string; name?: string; slug?: string } | null;
}

export type LsServer = LsResource<LsServerAttributes, 'servers'>;

export interface LsCreateServerAttributes {
  project: string;
  plan: string;
  site: string;
  operating_system: string;
  hostname: string;
  ssh_keys?: string[];
  /** The id of a user-data object (POST /user_data), not the script itself. */
  user_data?: string;
  /** URL of an iPXE script (or the script base64-encoded); required with operating_system "ipxe". */
  ipxe?: string;
  billing?: 'hourly' | 'monthly' | 'yearly';
}

export interface LsReinstallAttributes {
  operating_system?: string;
  hostname?: string;
  ssh_keys?: string[];
  user_data?: string;
  ipxe?: string;
}

export type LsPowerAction = 'power_on' | 'power_off' | 'reboot';

export interface LsPlanRegion {
  name?: string;
  deploys_instantly?: string[] | null;
  locations?: { available?: string[] | null; in_stock?: string[] | null } | null;
  stock_level?: 'unavailable' | 'low' | 'medium' | 'high' | 'unique' | string | null;
  pricing?: { USD?: { hour?: number | null; month?: number | null; year?: number | null } | null } | null;
}

export interface LsPlanAttributes {
  slug?: string;
  name?: string;
  features?: string[] | null;
  specs?: {
    cpu?: { type?: string; clock?: number; cores?: number; count?: number } | null;
    memory?: { total?: number } | null;
    drives?: { count?: number; size?: string; type?: string }[] | null;
    nics?: { count?: number; type?: string }[] | null;
    gpu?: { count?: number; type?: string; vram_per_gpu?: number } | null;
  } | null;
  regions?: LsPlanRegion[] | null;
}

export type LsPlan = LsResource<LsPlanAttributes, 'plans'>;

export interface LsRegionAttributes {
  slug?: string;
  name?: string;
  country?: { slug?: string; name?: string } | null;
}

export interface LsOperatingSystemAttributes {
  name?: string;
  slug?: string;
  distro?: string;
  version?: string | null;
  provisionable_on?: string[] | null;
  features?: { raid?: boolean; ssh_keys?: boolean; user_data?: boolean } | null;
}

export interface LsProjectAttributes {
  name?: string;
  slug?: string;
  description?: string | null;
  provisioning_type?: string | null;
}

export interface LsSshKeyAttributes {
  name?: string;
  public_key?: string;
  fingerprint?: string | null;
  created_at?: string | null;
}

export interface LsTagAttributes {
  name?: string;
  slug?: string;
  description?: string | null;
  color?: string | null;
}

export interface LsVirtualNetworkAttributes {
  vid?: number;
  name?: string;
  description?: string | null;
  site?: string | null;
  region?: { site?: { slug?: string } | null } | null;
}

/** `from`/`to`: an address, a CIDR range or "ANY"; `port`: "22" or "80-443". */
export interface LsFirewallRule {
  from?: string;
  to?: string;
  protocol?: 'TCP' | 'UDP';
  port?: string;
  description?: string;
  default?: boolean;
}

export interface LsFirewallAttributes {
  name?: string;
  rules?: LsFirewallRule[] | null;
  project?: { id?: string; slug?: string; name?: string } | null;
}

/** A JSON:API request document. */
export interface LsRequest<A> {
  data: { type: string; id?: string; attributes: A };
}
