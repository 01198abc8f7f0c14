/**
 * Wire types of the OVHcloud API v1 that ferry reads. /order/... follows OVH's native schema
 * order.json (https://eu.api.ovh.com/1.0/order.json); /dedicated/server follows the OpenAPI 3.0
 * rendering of https://eu.api.ovh.com/1.0 /dedicated/server (OVHcloud's ovhcloud-cli repository);
 * /me/order and /auth/time follow me.json and auth.json (not among ferry's test specs). Every field
 * is optional: readers are tolerant.
 */
export interface OvhPrice {
  currencyCode?: string;
  text?: string;
  value?: number;
  priceInUcents?: number | null;
}

export interface OvhCart {
  cartId?: string;
  description?: string;
  expire?: string | null;
  items?: number[];
  readOnly?: boolean;
}

export interface OvhCartItem {
  itemId?: number;
  cartId?: string;
  duration?: string | null;
  configurations?: number[] | null;
  settings?: { planCode?: string | null; pricingMode?: string | null; quantity?: number | null };
}

export interface OvhProductPricing {
  duration?: string;
  pricingMode?: string;
  price?: OvhPrice;
  capacities?: string[];
}

export interface OvhProductDefinition {
  planCode?: string;
  productName?: string;
  prices?: OvhProductPricing[];
}

export interface OvhOrder {
  orderId?: number | null;
  url?: string | null;
  prices?: { withoutTax?: OvhPrice; withTax?: OvhPrice };
}

export interface OvhOrderDetail {
  orderDetailId?: number;
  cartItemID?: number | null;
  domain?: string;
  description?: string;
}

export interface OvhCatalogPricing {
  capacities?: string[];
  commitment?: number;
  interval?: number;
  intervalUnit?: string;
  mode?: string;
  price?: number;
  description?: string;
}

export interface OvhCatalogConfiguration {
  name?: string;
  values?: string[] | null;
  isMandatory?: boolean;
}

export interface OvhCatalogPlan {
  planCode?: string;
  invoiceName?: string;
  product?: string;
  pricings?: OvhCatalogPricing[];
  configurations?: OvhCatalogConfiguration[];
  blobs?: {
    technical?: {
      cpu?: { cores?: number; threads?: number; model?: string; brand?: string } | null;
      memory?: { size?: number } | null;
      storage?: { disks?: { capacity?: number; number?: number }[] } | null;
      gpu?: { model?: string; number?: number; memory?: { size?: number } } | null;
    } | null;
  } | null;
}

export interface OvhCatalog {
  locale?: { currencyCode?: string; subsidiary?: string; taxRate?: number };
  plans?: OvhCatalogPlan[];
}

export interface OvhServer {
  name?: string;
  serverId?: number;
  datacenter?: string;
  region?: string;
  ip?: string | null;
  os?: string;
  state?: string;
  powerState?: string;
  bootId?: number | null;
  bootScript?: string | null;
  commercialRange?: string | null;
}

export interface OvhServiceInfos {
  serviceId?: number;
  creation?: string;
  expiration?: string;
  status?: string;
  renew?: { automatic?: boolean; deleteAtExpiration?: boolean; period?: number | null } | null;
}

export interface OvhTask {
  taskId?: number;
  function?: string;
  status?: string;
  comment?: string | null;
  startDate?: string;
  doneDate?: string | null;
}

export interface OvhNetboot {
  bootId?: number;
  bootType?: string;
  description?: string;
  kernel?: string;
}
