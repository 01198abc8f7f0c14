/**
 * Hivelocity API v2 wire types, as the Swagger 2.0 document at
 * https://core.hivelocity.net/api/v2/swagger.json describes them (definitions BareMetalDevice,
 * BareMetalDeviceCreate, BareMetalDeviceUpdate, Device-dump, DevicePower, DeviceTag, Stock,
 * Location, Option-dump, SshKeyResponse). Every response field is optional there; readers treat
 * each one as possibly missing or null.
 */

export interface HvBareMetalDevice {
  deviceId?: number | null;
  orderId?: number | null;
  serviceId?: number | null;
  productId?: number | null;
  productName?: string | null;
  locationName?: string | null;
  hostname?: string | null;
  osName?: string | null;
  /** ON | OFF (PENDING while a power action runs). */
  powerStatus?: string | null;
  primaryIp?: string | null;
  period?: string | null;
  tags?: string[] | null;
  script?: string | null;
  publicSshKeyId?: number | null;
  customIPXEScriptURL?: string | null;
  customIPXEScriptContents?: string | null;
  vlanId?: number | null;
}

export interface HvBareMetalDeviceCreate {
  productId: number;
  locationName: string;
  osName: string;
  hostname: string;
  period?: string;
  tags?: string[];
  script?: string;
  publicSshKeyId?: number;
  customIPXEScriptURL?: string;
  customIPXEScriptContents?: string;
}

export interface HvBareMetalDeviceUpdate {
  hostname: string;
  osName: string;
  forceReload?: boolean;
  tags?: string[];
  script?: string;
  publicSshKeyId?: number;
  customIPXEScriptURL?: string;
  customIPXEScriptContents?: string;
}

/** The account-wide device view: provisioning status and cancellation live here, not on BareMetalDevice. */
export interface HvDeviceDump {
  deviceId?: number | null;
  name?: string | null;
  hostname?: string | null;
  status?: string | null;
  hasCancellation?: boolean | null;
  /** Epoch seconds. */
  billingCancelDate?: number | null;
  billingStatus?: string | null;
  isReload?: boolean | null;
  spsStatus?: string | null;
  primaryIp?: string | null;
  tags?: string[] | null;
}

export interface HvDevicePower {
  powerStatus?: string | null;
}

export interface HvStock {
  product_id?: number | null;
  product_name?: string | null;
  product_cpu?: string | null;
  product_cpu_cores?: string | null;
  processor_info?: { cores?: number | null; threads?: number | null; sockets?: number | null; vcpus?: number | null } | null;
  product_memory?: string | null;
  product_drive?: string | null;
  product_gpu?: string | null;
  product_monthly_price?: number | null;
  product_hourly_price?: number | null;
  monthly_location_premium?: number | null;
  hourly_location_premium?: number | null;
  product_disabled_billing_periods?: string[] | null;
  /** available | limited | unavailable */
  stock?: string | null;
  data_center?: string | null;
}

/** GET /inventory/product: stock rows grouped by facility code (or city, or "flat"). */
export type HvInventory = Record<string, HvStock[] | null>;

export interface HvLocation {
  id?: number | null;
  code?: string | null;
  title?: string | null;
  location?: { city?: string | null; state?: string | null; country?: string | null } | null;
}

export interface HvOption {
  id?: number | null;
  name?: string | null;
  monthlyPrice?: number | null;
  tags?: string[] | null;
}

export interface HvSshKey {
  sshKeyId?: number | null;
  name?: string | null;
  publicKey?: string | null;
}
