/**
 * Hetzner Cloud API v1 wire shapes, as described by hcloud.openapi.json (the community OpenAPI 3.0
 * conversion of https://docs.hetzner.cloud/cloud.spec.json). Only the fields ferry reads or writes.
 */

export type HcLabels = Record<string, string>;

export interface HcPagination {
  page: number;
  per_page: number;
  previous_page: number | null;
  next_page: number | null;
  last_page: number | null;
  total_entries: number | null;
}

export interface HcMeta {
  pagination: HcPagination;
}

/** Every list response: `{ <key>: T[], meta: { pagination } }`. */
export type HcList<K extends string, T> = { [P in K]: T[] } & { meta?: HcMeta };

/** `{"error":{"code","message","details"}}` */
export interface HcErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export type HcActionStatus = 'running' | 'success' | 'error';

export interface HcAction {
  id: number;
  command: string;
  status: HcActionStatus;
  progress: number;
  started: string;
  finished: string | null;
  resources: { id: number; type: string }[];
  error: { code: string; message: string } | null;
}

export interface HcLocation {
  id: number;
  name: string;
  description: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  network_zone: string;
}

export interface HcDatacenter {
  id: number;
  name: string;
  description: string;
  location: HcLocation;
  /** Server type ids the datacenter supports and can take orders for now (absent in some older answers). */
  server_types?: { supported?: number[] | null; available?: number[] | null; available_for_migration?: number[] | null } | null;
}

/** Hetzner's deprecation object: announced, and orderable until unavailable_after. */
export interface HcDeprecation {
  announced?: string | null;
  unavailable_after?: string | null;
}

/** GET /pricing (only the parts ferry reads). */
export interface HcPricing {
  currency?: string;
  vat_rate?: string;
  primary_ips?: { type: string; prices?: { location: string; price_hourly: HcPrice; price_monthly: HcPrice }[] | null }[] | null;
}

export interface HcPrice {
  gross: string;
  net: string;
}

export interface HcServerTypePrice {
  location: string;
  price_hourly: HcPrice;
  price_monthly: HcPrice;
  included_traffic: number;
  price_per_tb_traffic: HcPrice;
}

export interface HcServerType {
  id: number;
  name: string;
  description: string;
  cores: number;
  /** GB */
  memory: number;
  /** GB */
  disk: number;
  cpu_type: 'shared' | 'dedicated';
  architecture: 'x86' | 'arm';
  storage_type: 'local' | 'network';
  deprecated: boolean | null;
  /** Newer answers: set once the type is being phased out. */
  deprecation?: HcDeprecation | null;
  category?: string;
  /** Added to the API in 2025; absent in 2024 answers. */
  locations?: { id: number; name: string; deprecation?: HcDeprecation | null }[] | null;
  prices: HcServerTypePrice[];
}

export type HcImageType = 'system' | 'app' | 'snapshot' | 'backup';

export interface HcImage {
  id: number;
  type: HcImageType;
  status: 'available' | 'creating' | 'unavailable';
  name: string | null;
  description: string;
  image_size: number | null;
  disk_size: number;
  created: string;
  created_from: { id: number; name: string } | null;
  bound_to: number | null;
  os_flavor: string;
  os_version: string | null;
  architecture: 'x86' | 'arm';
  deprecated: string | null;
  deleted: string | null;
  labels: HcLabels;
}

export type HcServerStatus =
  | 'initializing'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'off'
  | 'deleting'
  | 'migrating'
  | 'rebuilding'
  | 'unknown';

export interface HcServer {
  id: number;
  name: string;
  status: HcServerStatus | string;
  created: string;
  labels: HcLabels;
  public_net: {
    ipv4: { ip: string; blocked: boolean; dns_ptr: string; id?: number } | null;
    ipv6: { ip: string; blocked: boolean; id?: number } | null;
    floating_ips: number[];
    firewalls?: { id: number; status: string }[];
  };
  private_net: { network?: number; ip?: string }[];
  server_type: HcServerType;
  datacenter: HcDatacenter;
  /** Newer responses carry the location at the top level as well. */
  location?: HcLocation;
  image: HcImage | null;
  volumes?: number[];
  locked: boolean;
}

export interface HcCreateServerRequest {
  name: string;
  server_type: string;
  location?: string;
  image: string;
  user_data?: string;
  ssh_keys?: string[];
  labels?: HcLabels;
  start_after_create?: boolean;
  networks?: number[];
  firewalls?: { firewall: number }[];
}

export interface HcCreateServerResponse {
  server: HcServer;
  action: HcAction;
  next_actions: HcAction[];
  root_password: string | null;
}

export interface HcSshKey {
  id: number;
  name: string;
  fingerprint: string;
  public_key: string;
  labels: HcLabels;
  created: string;
}

export interface HcNetwork {
  id: number;
  name: string;
  ip_range: string;
  subnets: { type: string; ip_range?: string; network_zone: string; gateway: string }[];
  routes: { destination: string; gateway: string }[];
  servers: number[];
  labels: HcLabels;
  created: string;
}

export interface HcCreateNetworkRequest {
  name: string;
  ip_range: string;
  subnets?: { type: 'cloud' | 'server' | 'vswitch'; ip_range?: string; network_zone: string }[];
  labels?: HcLabels;
}

export interface HcFirewallRule {
  direction: 'in' | 'out';
  protocol: 'tcp' | 'udp' | 'icmp' | 'esp' | 'gre';
  port?: string | null;
  source_ips?: string[];
  destination_ips?: string[];
  description?: string | null;
}

export interface HcFirewall {
  id: number;
  name: string;
  labels?: HcLabels;
  rules: HcFirewallRule[];
  applied_to: unknown[];
  created: string;
}

export interface HcCreateFirewallRequest {
  name: string;
  labels?: HcLabels;
  rules?: HcFirewallRule[];
}

export interface HcVolume {
  id: number;
  name: string;
  /** GB */
  size: number;
  server: number | null;
  location: HcLocation;
  linux_device: string;
  status: 'available' | 'creating';
  format: string | null;
  labels: HcLabels;
  created: string;
}

export interface HcCreateVolumeRequest {
  name: string;
  size: number;
  location?: string;
  server?: number;
  automount?: boolean;
  format?: string;
  labels?: HcLabels;
}
