/**
 * Wire types of the Linode API v4, as described by linode-openapi-v4.189.0.yaml (the official
 * OpenAPI document). Read-only fields the driver does not rely on are optional: tolerant readers.
 */

/** Every collection: one page of `data` with the page number and page count. */
export interface LnPage<T> {
  data: T[];
  page: number;
  pages: number;
  results: number;
}

export type LnStatus =
  | 'running'
  | 'offline'
  | 'booting'
  | 'busy'
  | 'rebooting'
  | 'shutting_down'
  | 'provisioning'
  | 'deleting'
  | 'migrating'
  | 'rebuilding'
  | 'cloning'
  | 'restoring'
  | 'stopped'
  | 'billing_suspension';

export interface LnLinode {
  id: number;
  label: string;
  status: LnStatus | string;
  region: string;
  type: string;
  image?: string | null;
  ipv4?: string[] | null;
  ipv6?: string | null;
  tags?: string[] | null;
  created: string;
  specs?: { vcpus?: number; memory?: number; disk?: number; gpus?: number } | null;
}

export interface LnCreateLinodeRequest {
  label: string;
  region: string;
  type: string;
  image: string;
  root_pass: string;
  authorized_keys?: string[];
  tags: string[];
  booted: boolean;
  metadata?: { user_data: string };
  firewall_id?: number;
}

export interface LnEvent {
  id: number;
  action: string;
  status: 'failed' | 'finished' | 'notification' | 'scheduled' | 'started' | string;
  percent_complete?: number | null;
  created: string;
  entity?: { id: number | string; type: string; label?: string } | null;
  message?: string | null;
}

export interface LnDisk {
  id: number;
  label: string;
  filesystem: 'raw' | 'swap' | 'ext3' | 'ext4' | 'initrd' | string;
  size: number;
  status: string;
}

export interface LnImage {
  id: string;
  label: string;
  description?: string | null;
  status: 'creating' | 'pending_upload' | 'available' | string;
  type: 'manual' | 'automatic' | string;
  is_public: boolean;
  vendor?: string | null;
  deprecated?: boolean;
  size?: number | null;
  created?: string | null;
  tags?: string[] | null;
}

export interface LnSshKey {
  id: number;
  label: string;
  ssh_key: string;
  created?: string;
}

export interface LnPrice {
  hourly: number | null;
  monthly: number | null;
}

export interface LnType {
  id: string;
  label: string;
  class: 'nanode' | 'standard' | 'dedicated' | 'premium' | 'gpu' | 'highmem' | string;
  vcpus: number;
  /** MB */
  memory: number;
  /** MB */
  disk: number;
  gpus?: number | null;
  price: LnPrice;
  region_prices?: (LnPrice & { id: string })[] | null;
  successor?: string | null;
}

export interface LnRegion {
  id: string;
  label: string;
  country: string;
  capabilities?: string[] | null;
  status?: 'ok' | 'outage' | string;
}

export interface LnFirewall {
  id: number;
  label: string;
  status: string;
  tags?: string[] | null;
}

export interface LnVpc {
  id: number;
  label: string;
  region: string;
  subnets?: { id: number; label: string; ipv4?: string | null }[] | null;
}

export interface LnVolume {
  id: number;
  label: string;
  size: number;
  region: string;
  status: string;
  linode_id?: number | null;
  filesystem_path?: string | null;
  tags?: string[] | null;
}

/** The error body: `{"errors":[{"reason","field"?}]}`. */
export interface LnErrorBody {
  errors?: { reason?: string; field?: string }[];
}
