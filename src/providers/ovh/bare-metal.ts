/**
 * Bare-metal behaviour on OVH: following a cart (ferry's handle) to its order and the server the
 * order delivers, waiting through the stages (order checking → delivering → OS install → ready)
 * with progress, tasks polled to completion, the end of a service at the end of its paid month,
 * and the reinstall over iPXE: the server's `bootScript` (the "Ipxe script served on boot" of
 * dedicated.server.Dedicated) set with a network netboot whose kernel is OVH's iPXE script boot,
 * then a hard reboot.
 */
import { checkIpxeUrl, pollUntil, ProviderError, waitThroughStages, type Instance, type IpxeService, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { OvhClient } from './client.js';
import { createdAtOf, isCartId, isServiceName, parseCartDescription, pendingInstance, PROVIDER, serverToInstance, type CartIdentity } from './mapping.js';
import type { OvhServer } from './schema.js';

export interface BareMetalContext {
  client: OvhClient;
  timeouts: ProviderTimeouts;
  /** cart item id → (order id, detail id): fixed once found. */
  orderOfItem: Map<number, { orderId: number; detailId: number }>;
}

export interface ServerView {
  instance: Instance;
  /** The delivered server's service name (null while the order is not delivered). */
  serviceName: string | null;
  server: OvhServer | null;
  installing: boolean;
}

function gone(id: string, why: string): ProviderError {
  return new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `ovh server ${id} ${why}` });
}

/** The order a cart item went into: /me/order, newest first, each order's details until one names the item. */
async function orderOf(ctx: BareMetalContext, itemId: number, o?: OperationOptions): Promise<{ orderId: number; detailId: number } | null> {
  const known = ctx.orderOfItem.get(itemId);
  if (known) return known;
  const orders = (await ctx.client.listOrders(o)).sort((a, b) => b - a);
  for (const orderId of orders) {
    for (const detailId of await ctx.client.orderDetails(orderId, o)) {
      const d = await ctx.client.orderDetail(orderId, detailId, o);
      if (d?.cartItemID === itemId) {
        const found = { orderId, detailId };
        ctx.orderOfItem.set(itemId, found);
        return found;
      }
    }
  }
  return null;
}

async function installing(ctx: BareMetalContext, name: string, o?: OperationOptions): Promise<boolean> {
  for (const status of ['todo', 'doing']) {
    for (const taskId of await ctx.client.tasks(name, status, o)) {
      const t = await ctx.client.task(name, taskId, o);
      if (t?.function === 'reinstallServer' && t.status !== 'done') return true;
    }
  }
  return false;
}

/** A delivered server, unless its service is set to end (ferry destroyed it): then null. */
async function liveServer(ctx: BareMetalContext, name: string, o?: OperationOptions): Promise<OvhServer | null> {
  const s = await ctx.client.getServer(name, o);
  if (!s) return null;
  const info = await ctx.client.serviceInfos(name, o);
  if (info?.renew?.deleteAtExpiration) return null;
  return s;
}

export async function readCart(ctx: BareMetalContext, cartId: string, o?: OperationOptions): Promise<ServerView | null> {
  const cart = await ctx.client.getCart(cartId, o);
  const ident = parseCartDescription(cart?.description);
  if (!cart || !ident || !cart.readOnly) return null;
  const itemId = cart.items?.[0];
  if (typeof itemId !== 'number') return null;
  const createdAt = createdAtOf(cart.expire);
  const order = await orderOf(ctx, itemId, o);
  if (!order) return { instance: pendingInstance(cartId, ident, 'checking', createdAt), serviceName: null, server: null, installing: false };
  const status = (await ctx.client.orderStatus(order.orderId, o)) ?? 'unknown';
  const detail = status === 'delivered' ? await ctx.client.orderDetail(order.orderId, order.detailId, o) : null;
  const name = detail?.domain && detail.domain !== '*' ? detail.domain : null;
  if (!name) return { instance: pendingInstance(cartId, ident, status, createdAt), serviceName: null, server: null, installing: false };
  return viewOf(ctx, name, ident, cartId, createdAt, o);
}

async function viewOf(ctx: BareMetalContext, name: string, ident: CartIdentity | null, handle: string, createdAt: string, o?: OperationOptions): Promise<ServerView | null> {
  // Tasks first: a server read after them never shows an install that the tasks call missed.
  let busy: boolean;
  try {
    busy = await installing(ctx, name, o);
  } catch (err) {
    if (ProviderError.is(err, 'not_found')) return null;
    throw err;
  }
  const server = await liveServer(ctx, name, o);
  if (!server) return null;
  return { instance: serverToInstance(server, busy, ident, handle, createdAt), serviceName: name, server, installing: busy };
}

/** A server ferry did not order (listed with --all): its id is its service name. */
export async function readServer(ctx: BareMetalContext, name: string, o?: OperationOptions): Promise<ServerView | null> {
  const info = await ctx.client.serviceInfos(name, o);
  return viewOf(ctx, name, null, name, info?.creation ? new Date(info.creation).toISOString() : '', o);
}

export async function read(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<ServerView | null> {
  if (isServiceName(id)) return readServer(ctx, id, o);
  if (isCartId(id)) return readCart(ctx, id, o);
  return null;
}

/** ferry's stage words: ordered (OVH checks the order), provisioning (delivering), installing, then the power state. */
function phaseOf(v: ServerView): string {
  const raw = v.instance.status.raw;
  if (raw === 'order checking' || raw === 'order notPaid' || raw === 'order documentsRequested') return 'ordered';
  if (raw.startsWith('order ')) return 'provisioning';
  return raw;
}

export function waitFor(ctx: BareMetalContext, id: string, what: string, done: (v: ServerView) => boolean, o?: OperationOptions, timeoutMs = ctx.timeouts.instanceReadyMs): Promise<ServerView> {
  return waitThroughStages({
    provider: PROVIDER,
    operation: `${what} (${id})`,
    timeoutMs,
    intervalMs: ctx.timeouts.pollIntervalMs,
    o,
    read: async () => {
      const v = await read(ctx, id, o);
      if (!v) throw gone(id, `does not exist (or its service is ending) while ${what}`);
      return v;
    },
    done,
    stage: (v) => ({ key: v.instance.status.raw, phase: phaseOf(v), message: (after) => `${v.instance.name}: ${phaseOf(v)} (${v.instance.status.raw}) after ${after}` }),
  });
}

const ready = (v: ServerView) => v.serviceName !== null && !v.installing && v.instance.status.state === 'active' && v.instance.ipv4 !== null;

export async function waitReady(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<Instance> {
  const v = await waitFor(ctx, id, 'waiting for the order to be delivered and installed', ready, o);
  o?.onProgress?.({ phase: 'active', message: `${v.instance.name}: active at ${v.instance.ipv4} (${v.serviceName})` });
  return v.instance;
}

/** Polls a server task until done; an error status ends the wait with an error. */
export async function waitTask(ctx: BareMetalContext, name: string, taskId: number, what: string, o?: OperationOptions): Promise<void> {
  await pollUntil({
    provider: PROVIDER,
    operation: `${what} (task ${taskId} of ${name})`,
    timeoutMs: ctx.timeouts.instanceReadyMs,
    intervalMs: ctx.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const t = await ctx.client.task(name, taskId, o);
      if (!t) throw gone(name, `lost task ${taskId}`);
      if (t.status === 'done') return true;
      if (t.status === 'cancelled' || t.status === 'customerError' || t.status === 'ovhError') {
        throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: name, message: `ovh task ${taskId} (${t.function}) ended ${t.status}: ${t.comment ?? ''}` });
      }
      return undefined;
    },
  });
}

/**
 * Ends the service at the end of its paid month (renew.deleteAtExpiration, the setting OVH's
 * termination confirms); an order still on its way is waited for first (a paid order cannot be
 * cancelled). Gone, or already ending, is success.
 */
export async function endService(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<void> {
  let v = await read(ctx, id, o);
  if (!v) return;
  if (!v.serviceName) {
    o?.onProgress?.({ phase: 'waiting', message: `${v.instance.name}: the order is paid; waiting for its delivery to end the service` });
    v = await waitFor(ctx, id, 'waiting for the delivery before ending the service', (x) => x.serviceName !== null, o);
  }
  await ctx.client.deleteAtExpiration(v.serviceName!, o);
}

export function ipxeService(ctx: BareMetalContext): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      checkIpxeUrl(ipxeUrl, 'OVH\'s iPXE boot', { chars: /\s/, named: 'spaces' }); // written raw into `chain <url>`
      const v = await read(ctx, id, o);
      if (!v) throw gone(id, 'not found');
      if (!v.serviceName || v.installing) throw new ProviderError({ kind: 'conflict', provider: PROVIDER, subject: id, message: `ovh server ${id} is ${v.instance.status.raw}; iPXE waits until it is delivered and installed` });
      const name = v.serviceName;
      let bootId: number | undefined;
      for (const b of await ctx.client.boots(name, 'network', o)) {
        const boot = await ctx.client.boot(name, b, o);
        if (/ipxe/i.test(`${boot?.kernel ?? ''} ${boot?.description ?? ''}`)) bootId = b;
      }
      if (bootId === undefined) throw ProviderError.notSupported(PROVIDER, 'reinstallIpxe', `server ${name} offers no iPXE network boot`);
      await ctx.client.updateServer(name, { bootId, bootScript: `#!ipxe\nchain --autofree ${ipxeUrl}\n` }, o);
      o?.onProgress?.({ phase: 'rebooting', message: `${v.instance.name}: booting the iPXE script from ${ipxeUrl}` });
      const task = await ctx.client.reboot(name, o);
      if (typeof task.taskId === 'number') await waitTask(ctx, name, task.taskId, 'reboot into iPXE', o);
    },
  };
}
