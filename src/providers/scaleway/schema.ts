/**
 * Scaleway wire shapes, only the fields ferry reads or writes. Instance v1 and VPC v2 follow their
 * OpenAPI 3.1 descriptions, Elastic Metal follows baremetal v1's OpenAPI 3.0 description. Block
 * Storage v1alpha1, IAM v1alpha1 (SSH keys) and Marketplace v2 have no description in the specs
 * folder: their shapes follow Scaleway's public API documentation (www.scaleway.com/en/developers/api/).
 * Message fields may be null on the wire even where the description says object.
 */

/** Error bodies: `{"type","message",…}` (standard errors) or the Instance API's legacy `{"type":"invalid_request_error","message"}`. */
export interface ScwErrorBody {
  type?: string;
  message?: string;
  resource?: string;
  resource_id?: string;
  precondition?: string;
  help_message?: string;
  details?: { argument_name?: string; reason?: string; help_message?: string; resource?: string; quota?: number; current?: number }[];
}

export type ScwServerState = 'running' | 'stopped' | 'stopped in place' | 'starting' | 'stopping' | 'locked';

export interface ScwServerIp {
  id: string;
  address: string;
  family?: 'inet' | 'inet6';
  dynamic?: boolean;
}

export interface ScwServerVolume {
  id: string;
  name?: string;
  volume_type?: string;
  size?: number;
  boot?: boolean;
  zone?: string;
}

export interface ScwPrivateNic {
  id: string;
  server_id: string;
  private_network_id: string;
  state?: string;
}

export interface ScwServer {
  id: string;
  name: string;
  project?: string;
  tags?: string[] | null;
  commercial_type: string;
  creation_date?: string | null;
  state: string;
  zone: string;
  arch?: string;
  image?: { id: string; name?: string } | null;
  public_ip?: { id?: string; address?: string } | null;
  public_ips?: ScwServerIp[] | null;
  ipv6?: { address?: string } | null;
  volumes?: Record<string, ScwServerVolume> | null;
  security_group?: { id: string; name?: string } | null;
  private_nics?: ScwPrivateNic[] | null;
}

export interface ScwCreateServerRequest {
  name: string;
  commercial_type: string;
  image: string;
  project: string;
  tags: string[];
  dynamic_ip_required: boolean;
  security_group?: string;
}

export interface ScwTask {
  id: string;
  description?: string;
  status: 'pending' | 'started' | 'success' | 'failure' | 'retry';
  href_from?: string;
  href_result?: string;
}

export interface ScwServerType {
  monthly_price?: number | null;
  hourly_price?: number | null;
  ncpus: number;
  ram: number;
  gpu?: number | null;
  gpu_info?: { gpu_manufacturer?: string; gpu_name?: string; gpu_memory?: number } | null;
  arch?: string;
  volumes_constraint?: { min_size?: number; max_size?: number } | null;
  end_of_service?: boolean;
}

export interface ScwImage {
  id: string;
  name: string;
  arch?: string;
  creation_date?: string | null;
  from_server?: string;
  root_volume?: { id: string; volume_type?: string; size?: number } | null;
  extra_volumes?: Record<string, { id: string }> | null;
  state?: string;
  tags?: string[] | null;
  zone?: string;
}

export interface ScwSecurityGroup {
  id: string;
  name: string;
  project?: string;
  tags?: string[] | null;
  project_default?: boolean;
  servers?: { id: string }[] | null;
  zone?: string;
}

export interface ScwSecurityGroupRuleRequest {
  protocol: 'TCP' | 'UDP' | 'ICMP' | 'ANY';
  direction: 'inbound' | 'outbound';
  action: 'accept' | 'drop';
  ip_range: string;
  dest_port_from?: number;
  dest_port_to?: number;
}

export interface ScwPrivateNetwork {
  id: string;
  name: string;
  region: string;
  project_id?: string;
  tags?: string[] | null;
  subnets?: { subnet: string }[] | null;
}

/** Block Storage v1alpha1 volume. */
export interface ScwBlockVolume {
  id: string;
  name: string;
  size: number;
  status: string;
  zone: string;
  tags?: string[] | null;
  references?: { product_resource_type?: string; product_resource_id?: string }[] | null;
  specs?: { perf_iops?: number | null } | null;
}

/** IAM v1alpha1 SSH key. */
export interface ScwSshKey {
  id: string;
  name: string;
  public_key: string;
  fingerprint?: string;
  project_id?: string;
}

/** Marketplace v2 local image (one image label in one zone, for one architecture). */
export interface ScwLocalImage {
  id: string;
  label: string;
  zone: string;
  arch: string;
  type: string;
  compatible_commercial_types?: string[] | null;
}

export interface ScwMarketplaceImage {
  id: string;
  name: string;
  label: string;
}

export interface ScwMoney {
  currency_code: string;
  units: number;
  nanos: number;
}

export interface ScwOffer {
  id: string;
  name: string;
  stock: 'empty' | 'low' | 'available';
  price_per_hour?: ScwMoney | null;
  price_per_month?: ScwMoney | null;
  fee?: ScwMoney | null;
  subscription_period?: string;
  cpus?: { name?: string; core_count?: number; thread_count?: number }[] | null;
  memories?: { capacity?: number }[] | null;
  disks?: { capacity?: number; type?: string }[] | null;
  gpus?: { name?: string; vram?: number }[] | null;
  enable?: boolean;
}

export interface ScwOs {
  id: string;
  name: string;
  version: string;
  enabled?: boolean;
  allowed?: boolean;
}

export interface ScwBaremetalServer {
  id: string;
  name: string;
  description?: string;
  project_id?: string;
  status: string;
  offer_id: string;
  offer_name?: string;
  tags?: string[] | null;
  ips?: { address: string; version: 'IPv4' | 'IPv6' }[] | null;
  zone: string;
  created_at?: string | null;
  install?: { os_id?: string; hostname?: string; status?: string } | null;
}
