/**
 * The order side (order.json): the public catalog, the cart's life (create, assign, list
 * baremetalServers, add an item, configure it, check out with auto-pay) (the account's orders under
 * /me/order are in me-order.ts).
 */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { DATACENTERS, OS_TEMPLATES, PLANS, planByCode, SUBSIDIARIES, type EmuPlan } from './catalog.js';
import { ovhError } from './errors.js';
import type { CartRec, OrderRec, OvhState } from './state.js';

const API = '/1.0';
const UCENTS = 100_000_000;
const DURATIONS = ['P1M', 'P12M', 'P24M'];
/** Commitment → discount on the monthly price (OVH's 12/24-month commitments). */
const COMMIT_DISCOUNT: Record<number, number> = { 0: 1, 1: 1, 12: 0.95, 24: 0.9 };

export function price(value: number, currency: string) {
  const v = Math.round(value * 100) / 100;
  return { currencyCode: currency, priceInUcents: Math.round(v * UCENTS), text: `${v.toFixed(2)} ${currency === 'EUR' ? '€' : currency}`, value: v };
}

function currencyOf(cart: { subsidiary: string }): string {
  return SUBSIDIARIES[cart.subsidiary] ?? 'EUR';
}

function catalogPricings(p: EmuPlan) {
  // commitment 0: month to month, as the catalog says it.
  return [0, 12, 24].flatMap((commitment) => {
    const monthly = Math.round(p.monthly * COMMIT_DISCOUNT[commitment]! * UCENTS);
    const base = { commitment, interval: 1, intervalUnit: 'month', mustBeCompleted: false, phase: 1, quantity: { max: 1, min: 1 }, repeat: { max: null, min: 1 }, strategy: 'tiered', tax: 0, type: 'rental' };
    const mode = commitment === 0 ? 'default' : `upfront${commitment}`;
    return [
      { ...base, capacities: ['installation'], description: 'Setup fee', mode, price: Math.round(p.setupFee * UCENTS), interval: 1, phase: 0, type: 'purchase' },
      { ...base, capacities: ['renew'], description: `monthly fees, ${commitment} month commitment`, mode, price: monthly },
    ];
  });
}

export function catalogBody(subsidiary: string) {
  return {
    catalogId: 3000,
    locale: { currencyCode: SUBSIDIARIES[subsidiary] ?? 'EUR', subsidiary, taxRate: subsidiary === 'US' ? 0 : 20 },
    planFamilies: [{ name: 'default' }],
    addons: [],
    products: PLANS.map((p) => ({ name: p.planCode, description: p.invoiceName, configurations: [], blobs: null })),
    plans: PLANS.map((p) => ({
      planCode: p.planCode,
      invoiceName: p.invoiceName,
      product: p.planCode,
      pricingType: 'rental',
      family: null,
      blobs: {
        technical: {
          cpu: { brand: p.invoiceName.includes('AMD') ? 'AMD' : 'Intel', model: p.invoiceName.split('| ')[1] ?? '', cores: p.cores, threads: p.threads, number: 1 },
          memory: { size: p.memoryGb, sizeUnit: 'GB' },
          storage: { disks: [{ capacity: p.diskGb / 2, number: 2, technology: 'NVMe', interface: 'NVMe' }], raid: 'soft' },
        },
      },
      consumptionConfiguration: null,
      addonFamilies: [],
      pricings: catalogPricings(p),
      configurations: [
        { name: 'dedicated_datacenter', isCustom: false, isMandatory: true, values: p.datacenters },
        { name: 'dedicated_os', isCustom: false, isMandatory: true, values: OS_TEMPLATES },
        { name: 'region', isCustom: false, isMandatory: true, values: [...new Set(p.datacenters.map((d) => DATACENTERS[d]!.region))] },
      ],
    })),
  };
}

/** Hardware of a plan (the public catalog's blobs.technical, condensed) for the product list. */
export function planHardware(code: string) {
  const p = planByCode(code);
  return p && { cores: p.cores, threads: p.threads, memoryGb: p.memoryGb, diskGb: p.diskGb };
}

function productDefinitions(cart: CartRec) {
  const cur = currencyOf(cart);
  return PLANS.map((p) => ({
    planCode: p.planCode,
    productName: p.invoiceName,
    productType: 'delivery',
    prices: DURATIONS.map((duration) => {
      const months = Number(duration.slice(1, -1));
      const v = p.monthly * (COMMIT_DISCOUNT[months] ?? 1);
      return {
        capacities: ['renew'],
        description: `${months} month(s)`,
        duration,
        interval: 1,
        maximumQuantity: 1,
        maximumRepeat: null,
        minimumQuantity: 1,
        minimumRepeat: 1,
        price: price(v, cur),
        priceInUcents: Math.round(v * UCENTS),
        pricingMode: months === 1 ? 'default' : `upfront${months}`,
        pricingType: 'rental',
      };
    }),
  }));
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export function registerOrder(router: Router, st: OvhState, owned: (req: EmuRequest) => boolean): void {
  const cartOf = (req: EmuRequest): CartRec | EmuResponse => {
    const c = st.carts.get(req.params.cartId ?? '');
    if (!c || c.expire <= st.now()) return ovhError(404, `The cart ${req.params.cartId} does not exist`);
    if (c.assigned && !owned(req)) return ovhError(403, 'This cart is assigned to another account');
    return c;
  };
  const isRes = (x: unknown): x is EmuResponse => typeof x === 'object' && x !== null && 'status' in x && !('cartId' in x);
  const cartWire = (c: CartRec) => ({ cartId: c.cartId, description: c.description, expire: iso(c.expire), items: [...c.items], readOnly: c.readOnly });
  const itemWire = (c: CartRec, itemId: number) => {
    const i = st.items.get(itemId)!;
    const p = planByCode(i.planCode)!;
    const cur = currencyOf(c);
    const months = Number(i.duration.slice(1, -1)) || 1;
    const monthly = p.monthly * (COMMIT_DISCOUNT[months] ?? 1);
    return {
      cartId: c.cartId,
      itemId: i.itemId,
      productId: 'baremetalServers',
      offerId: null,
      duration: i.duration,
      parentItemId: null,
      options: [],
      configurations: i.configurations.map((x) => x.id),
      settings: { planCode: i.planCode, pricingMode: i.pricingMode, quantity: i.quantity },
      prices: [
        { label: 'PRICE', price: price(monthly * months, cur), promotions: null },
        { label: 'FEE', price: price(p.setupFee, cur), promotions: null },
        { label: 'RENEW', price: price(monthly, cur), promotions: null },
        { label: 'TOTAL', price: price(monthly * months + p.setupFee, cur), promotions: null },
      ],
    };
  };

  router.on('GET', `${API}/order/catalog/public/baremetalServers`, (req) => {
    const sub = req.query.get('ovhSubsidiary');
    if (!sub) return ovhError(400, 'Missing parameter: ovhSubsidiary');
    if (!SUBSIDIARIES[sub]) return ovhError(400, `Invalid value for ovhSubsidiary: ${sub} (one of ${Object.keys(SUBSIDIARIES).join(', ')})`);
    return { status: 200, body: catalogBody(sub) };
  });

  router.on('GET', `${API}/order/cart`, (req) => {
    const d = req.query.get('description');
    const ids = [...st.carts.values()].filter((c) => c.assigned && c.expire > st.now() && (d === null || c.description === d)).map((c) => c.cartId);
    return { status: 200, body: ids };
  });
  router.on('POST', `${API}/order/cart`, (req) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.ovhSubsidiary !== 'string' || !SUBSIDIARIES[b.ovhSubsidiary]) return ovhError(400, `Invalid value for ovhSubsidiary: ${String(b.ovhSubsidiary)}`);
    const expire = typeof b.expire === 'string' && !Number.isNaN(Date.parse(b.expire)) ? Date.parse(b.expire) : null;
    const cart = st.newCart(b.ovhSubsidiary, typeof b.description === 'string' ? b.description : '', expire);
    return { status: 200, body: cartWire(cart) };
  });
  router.on('GET', `${API}/order/cart/:cartId`, (req) => {
    const c = cartOf(req);
    return isRes(c) ? c : { status: 200, body: cartWire(c) };
  });
  router.on('DELETE', `${API}/order/cart/:cartId`, (req) => {
    const c = cartOf(req);
    if (isRes(c)) return c;
    st.carts.delete(c.cartId);
    return { status: 200, body: null };
  });
  router.on('POST', `${API}/order/cart/:cartId/assign`, (req) => {
    const c = cartOf(req);
    if (isRes(c)) return c;
    c.assigned = true;
    return { status: 200, body: null };
  });
  router.on('GET', `${API}/order/cart/:cartId/baremetalServers`, (req) => {
    const c = cartOf(req);
    return isRes(c) ? c : { status: 200, body: productDefinitions(c) };
  });
  router.on('POST', `${API}/order/cart/:cartId/baremetalServers`, (req) => {
    const c = cartOf(req);
    if (isRes(c)) return c;
    if (c.readOnly) return ovhError(403, 'This cart has already been validated');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const plan = typeof b.planCode === 'string' ? planByCode(b.planCode) : undefined;
    if (!plan) return ovhError(400, `Offer ${String(b.planCode)} not found`);
    if (typeof b.duration !== 'string' || !DURATIONS.includes(b.duration)) return ovhError(400, `Invalid duration ${String(b.duration)} (one of ${DURATIONS.join(', ')})`);
    if (typeof b.pricingMode !== 'string') return ovhError(400, 'Missing parameter: pricingMode');
    if (b.quantity !== 1) return ovhError(400, 'quantity must be 1 for a dedicated server');
    const item = st.addItem(c, { planCode: plan.planCode, duration: b.duration, pricingMode: b.pricingMode, quantity: 1 });
    return { status: 200, body: itemWire(c, item.itemId) };
  });
  router.on('GET', `${API}/order/cart/:cartId/item`, (req) => {
    const c = cartOf(req);
    return isRes(c) ? c : { status: 200, body: [...c.items] };
  });
  const itemOf = (req: EmuRequest) => {
    const c = cartOf(req);
    if (isRes(c)) return c;
    const id = Number(req.params.itemId);
    return c.items.includes(id) ? { c, i: st.items.get(id)! } : ovhError(404, `Item ${req.params.itemId} not found in cart`);
  };
  router.on('GET', `${API}/order/cart/:cartId/item/:itemId`, (req) => {
    const x = itemOf(req);
    return 'status' in x ? x : { status: 200, body: itemWire(x.c, x.i.itemId) };
  });
  router.on('GET', `${API}/order/cart/:cartId/item/:itemId/requiredConfiguration`, (req) => {
    const x = itemOf(req);
    if ('status' in x) return x;
    const p = planByCode(x.i.planCode)!;
    return {
      status: 200,
      body: [
        { label: 'dedicated_datacenter', required: true, type: 'string', fields: p.datacenters },
        { label: 'dedicated_os', required: true, type: 'string', fields: OS_TEMPLATES },
        { label: 'region', required: true, type: 'string', fields: [...new Set(p.datacenters.map((d) => DATACENTERS[d]!.region))] },
      ],
    };
  });
  router.on('GET', `${API}/order/cart/:cartId/item/:itemId/configuration`, (req) => {
    const x = itemOf(req);
    if ('status' in x) return x;
    const label = req.query.get('label');
    return { status: 200, body: x.i.configurations.filter((c) => label === null || c.label === label).map((c) => c.id) };
  });
  router.on('POST', `${API}/order/cart/:cartId/item/:itemId/configuration`, (req) => {
    const x = itemOf(req);
    if ('status' in x) return x;
    if (x.c.readOnly) return ovhError(403, 'This cart has already been validated');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const label = String(b.label ?? '');
    const value = String(b.value ?? '');
    const p = planByCode(x.i.planCode)!;
    const allowed: Record<string, string[]> = {
      dedicated_datacenter: p.datacenters,
      dedicated_os: OS_TEMPLATES,
      region: [...new Set(p.datacenters.map((d) => DATACENTERS[d]!.region))],
    };
    if (!allowed[label]) return ovhError(400, `Unknown configuration label ${label}`);
    if (!allowed[label]!.includes(value)) return ovhError(400, `Invalid value ${value} for ${label} (one of ${allowed[label]!.join(', ')})`);
    return { status: 200, body: st.configure(x.i, label, value) };
  });
  router.on('GET', `${API}/order/cart/:cartId/item/:itemId/configuration/:configurationId`, (req) => {
    const x = itemOf(req);
    if ('status' in x) return x;
    const c = x.i.configurations.find((k) => String(k.id) === req.params.configurationId);
    return c ? { status: 200, body: c } : ovhError(404, 'Configuration not found');
  });
  router.on('POST', `${API}/order/cart/:cartId/checkout`, (req) => {
    const c = cartOf(req);
    if (isRes(c)) return c;
    if (!c.assigned) return ovhError(403, 'The cart must be assigned to an account before checkout');
    if (c.readOnly) return ovhError(403, 'This cart has already been validated');
    if (c.items.length === 0) return ovhError(400, 'The cart is empty');
    for (const id of c.items) {
      const i = st.items.get(id)!;
      const p = planByCode(i.planCode)!;
      for (const label of ['dedicated_datacenter', 'dedicated_os', 'region']) {
        if (!i.configurations.some((k) => k.label === label)) return ovhError(400, `Item ${id}: missing required configuration ${label}`);
      }
      const dc = i.configurations.find((k) => k.label === 'dedicated_datacenter')!.value;
      if (st.ctx.faults.capacity(dc, p.planCode)) return ovhError(400, `Item ${id}: ${p.planCode} is out of stock in ${dc}`);
    }
    const order = st.checkout(c);
    return { status: 200, body: orderWire(st, c, order) };
  });
}

export function total(o: OrderRec): number {
  return o.details.reduce((s, d) => s + d.monthly, 0);
}

function orderWire(st: OvhState, c: CartRec, o: OrderRec) {
  const cur = currencyOf(c);
  const net = total(o);
  return {
    orderId: o.orderId,
    url: `https://www.ovh.com/cgi-bin/order/display-order.cgi?orderId=${o.orderId}`,
    contracts: [{ name: 'General terms of service', url: 'https://storage.gra.cloud.ovh.net/v1/AUTH_contracts/general.pdf', content: 'General terms of service' }],
    details: o.details.map((d) => ({ cartItemID: d.cartItemID, description: d.description, detailType: 'DURATION', domain: '*', quantity: 1, totalPrice: price(d.monthly, cur), unitPrice: price(d.monthly, cur), originalTotalPrice: price(d.monthly, cur), reductionTotalPrice: price(0, cur), reductions: [] })),
    prices: { withoutTax: price(net, cur), tax: price(net * 0.2, cur), withTax: price(net * 1.2, cur), originalWithoutTax: price(net, cur), reduction: price(0, cur) },
  };
}
