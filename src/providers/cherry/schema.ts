/**
 * Cherry Servers API v1 wire shapes (https://api.cherryservers.com/doc/), as modelled by the
 * official Go client (github.com/cherryservers/cherrygo: servers.go, plans.go, regions.go,
 * images.go, projects.go, teams.go, sshkeys.go, cherrygo.go) and Python SDK
 * (github.com/cherryservers/cherryservers-sdk-python: models and unit-test fixtures), and by the
 * Terraform provider's deploy waits (github.com/cherryservers/terraform-provider-cherryservers,
 * internal/provider/server_resource.go: state pending → provisioning → active, terminating after
 * a delete; status deploying → deployed, "failed deployment"). Every field is optional on read.
 */

/** `{"code": 404, "message": "..."}` (cherrygo's ErrorResponse); the code is the HTTP status. */
export interface CsErrorBody {
  code?: number;
  message?: string;
}

export interface CsRegion {
  id?: number;
  name?: string;
  slug?: string;
  region_iso_2?: string;
  location?: string;
  href?: string;
}

export interface CsPricing {
  id?: number;
  unit?: string;
  price?: number;
  unit_price?: number;
  currency?: string;
  taxed?: boolean;
}

export interface CsPlan {
  id?: number;
  name?: string;
  slug?: string;
  type?: string;
  category?: string;
  specs?: {
    cpus?: { count?: number; name?: string; cores?: number; frequency?: number; unit?: string } | null;
    memory?: { count?: number; total?: number; unit?: string; name?: string } | null;
    storage?: { count?: number; name?: string; size?: number; unit?: string; type?: string }[] | null;
    nics?: { name?: string } | null;
    bandwidth?: { name?: string } | null;
  } | null;
  /** One price per billing unit: Hourly, Spot hourly, Monthly, Quarterly, Semiannually, Annually. */
  pricing?: CsPricing[] | null;
  /** The regions the plan is sold in, with servers in stock. */
  available_regions?: (CsRegion & { stock_qty?: number; spot_qty?: number })[] | null;
}

export interface CsImage {
  id?: number;
  name?: string;
  slug?: string;
  pricing?: CsPricing[] | null;
}

export interface CsIpAddress {
  id?: string;
  address?: string;
  address_family?: number;
  cidr?: string;
  type?: string;
}

export interface CsServer {
  id?: number;
  name?: string;
  hostname?: string;
  image?: string;
  deployed_image?: { name?: string; slug?: string } | null;
  region?: CsRegion | null;
  /** pending → provisioning → active; terminating once deleted. */
  state?: string;
  /** deploying → deployed; "failed deployment"; "rescue mode". */
  status?: string;
  plan?: CsPlan | null;
  pricing?: CsPricing | null;
  ip_addresses?: CsIpAddress[] | null;
  tags?: Record<string, string> | null;
  created_at?: string;
  termination_date?: string | null;
  project?: { id?: number; name?: string } | null;
}

export interface CsCreateServer {
  plan: string;
  region: string;
  image?: string;
  hostname?: string;
  ssh_keys?: number[];
  /** Base64 of a bash or cloud-config script. */
  user_data?: string;
  tags?: Record<string, string>;
  spot_market: boolean;
  /** hourly (default), monthly, quarterly, semiannually, annually. */
  cycle?: string;
}

/**
 * POST /servers/{id}/actions. Power types as cherrygo sends them; a reinstall is `rebuild` (the
 * Python SDK's RebuildRequest; cherrygo calls it `reinstall`) with image, hostname, password.
 * Both clients also carry an `ipxe` field since 2026; ferry chains iPXE through user_data.
 */
export type CsAction =
  | { type: 'power_on' | 'power_off' | 'reboot' }
  | { type: 'rebuild'; image: string; hostname: string; password: string; user_data?: string; ssh_keys?: number[] };

export interface CsPowerState {
  power?: 'on' | 'off' | string;
}

export interface CsTeam {
  id?: number;
  name?: string;
  projects?: CsProject[] | null;
}

export interface CsProject {
  id?: number;
  name?: string;
  href?: string;
}

export interface CsSshKey {
  id?: number;
  label?: string;
  key?: string;
  fingerprint?: string;
  created?: string;
}
