/**
 * An order through the cart, every step OVH's flow has: create the cart (subsidiary, ferry's
 * description, a year's expiry), assign it to the account, read the baremetalServers products for
 * the plan's month-to-month pricing, add the item (planCode, duration P1M, pricingMode), configure
 * it (dedicated_datacenter, dedicated_os, region) and check out with auto-pay. A cart that fails
 * before checkout is deleted; after checkout the order is paid and cannot be taken back.
 */
import { ProviderError, type OperationOptions } from '../../core/index.js';
import type { OvhClient } from './client.js';
import { CART_LIFETIME_MS, cartDescription, PROVIDER, type CartIdentity } from './mapping.js';
import type { OvhCart, OvhOrder } from './schema.js';

export interface OrderSpec {
  identity: CartIdentity;
  datacenter: string;
  os: string;
  region: string;
}

export interface Ordered {
  cart: OvhCart & { cartId: string };
  order: OvhOrder;
  itemId: number;
}

export async function orderServer(client: OvhClient, subsidiary: string, spec: OrderSpec, now: Date, o?: OperationOptions): Promise<Ordered> {
  const expire = new Date(now.getTime() + CART_LIFETIME_MS).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const cart = await client.createCart(subsidiary, cartDescription(spec.identity), expire, o);
  if (typeof cart.cartId !== 'string') throw new ProviderError({ kind: 'api', provider: PROVIDER, message: 'POST /order/cart: no cartId in the answer' });
  const cartId = cart.cartId;
  try {
    await client.assignCart(cartId, o);
    const plan = spec.identity.plan;
    const product = (await client.baremetalProducts(cartId, o)).find((p) => p.planCode === plan);
    const pricing = product?.prices?.find((p) => p.duration === 'P1M' && (p.capacities ?? ['renew']).includes('renew')) ?? product?.prices?.find((p) => p.duration === 'P1M');
    if (!product || !pricing?.pricingMode) {
      throw new ProviderError({ kind: 'capacity', provider: PROVIDER, subject: plan, message: `ovh plan ${plan} cannot be ordered month to month in this cart (not among its baremetalServers products)` });
    }
    const item = await client.addBaremetalServer(cartId, { planCode: plan, duration: 'P1M', pricingMode: pricing.pricingMode, quantity: 1 }, o);
    if (typeof item.itemId !== 'number') throw new ProviderError({ kind: 'api', provider: PROVIDER, message: 'POST /order/cart/{cartId}/baremetalServers: no itemId' });
    await client.configureItem(cartId, item.itemId, 'dedicated_datacenter', spec.datacenter, o);
    await client.configureItem(cartId, item.itemId, 'dedicated_os', spec.os, o);
    await client.configureItem(cartId, item.itemId, 'region', spec.region, o);
    const order = await client.checkout(cartId, o);
    return { cart: { ...cart, cartId, readOnly: true, items: [item.itemId] }, order, itemId: item.itemId };
  } catch (err) {
    // Nothing was bought: the cart goes (best effort; it would expire anyway).
    const checkedOut = await client.getCart(cartId).then((c) => c?.readOnly === true, () => false);
    if (!checkedOut) await client.deleteCart(cartId).catch(() => undefined);
    throw err;
  }
}
