/**
 * One emulated OVHcloud account: carts (created, assigned, filled, configured, checked out), the
 * orders a checkout makes (paid with the preferred payment method, delivered after the plan's lead
 * time), the dedicated servers they deliver, and the servers' tasks (install, reboot). Nothing runs
 * on timers: an order's status, a server's delivery and a task's progress are read from the clock.
 */
import type { EmulatorContext } from '../engine/index.js';
import { DATACENTERS, planByCode, type EmuPlan } from './catalog.js';
import type { SshKeys } from './ssh-keys.js';

export interface CartRec {
  cartId: string;
  description: string;
  expire: number;
  subsidiary: string;
  assigned: boolean;
  readOnly: boolean;
  items: number[];
}

export interface ItemRec {
  itemId: number;
  cartId: string;
  planCode: string;
  duration: string;
  pricingMode: string;
  quantity: number;
  configurations: { id: number; label: string; value: string }[];
}

export interface OrderRec {
  orderId: number;
  cartId: string;
  date: number;
  /** Per cart item: the detail id and the service it delivers. */
  details: { detailId: number; cartItemID: number; planCode: string; serviceName: string; description: string; monthly: number }[];
  deliverAt: number;
}

export interface TaskRec {
  taskId: number;
  function: string;
  startDate: number;
  doneDate: number;
  comment: string;
}

export interface ServerRec {
  serviceName: string;
  serverId: number;
  serviceId: number;
  orderId: number;
  plan: EmuPlan;
  datacenter: string;
  os: string;
  ip: string;
  deliveredAt: number;
  bootId: number;
  bootScript: string | null;
  /** The account's default key when the server was ordered (OVH installs it at delivery). */
  sshKey: string | null;
  powerState: 'poweron' | 'poweroff';
  tasks: TaskRec[];
  /** Renew: deleteAtExpiration ends the service at the end of the paid month. */
  deleteAtExpiration: boolean;
  terminationToken: string | null;
  expiration: number;
}

export const BOOT_HARDDISK = 1;
export const BOOT_RESCUE = 22;
export const BOOT_IPXE = 1_000_001;

const MONTH_MS = 30 * 86400_000;

export class OvhState {
  readonly carts = new Map<string, CartRec>();
  readonly items = new Map<number, ItemRec>();
  readonly orders = new Map<number, OrderRec>();
  private readonly servers = new Map<string, ServerRec>();
  private next = { item: 150_000_000, config: 300_000_000, order: 190_000_000, detail: 400_000_000, task: 5_000_000, server: 4_000_000, ip: 10 };

  constructor(readonly ctx: EmulatorContext, readonly sshKeys: SshKeys) {}

  now(): number {
    return this.ctx.clock.now();
  }

  newCart(subsidiary: string, description: string, expire: number | null): CartRec {
    const cartId = Array.from({ length: 8 }, () => Math.floor(this.ctx.random() * 16).toString(16)).join('') + '-' + String(this.carts.size + 1).padStart(4, '0');
    const cart: CartRec = { cartId, description, subsidiary, expire: expire ?? this.now() + 86400_000, assigned: false, readOnly: false, items: [] };
    this.carts.set(cartId, cart);
    return cart;
  }

  addItem(cart: CartRec, f: Omit<ItemRec, 'itemId' | 'cartId' | 'configurations'>): ItemRec {
    const item: ItemRec = { ...f, itemId: this.next.item++, cartId: cart.cartId, configurations: [] };
    this.items.set(item.itemId, item);
    cart.items.push(item.itemId);
    return item;
  }

  configure(item: ItemRec, label: string, value: string): { id: number; label: string; value: string } {
    item.configurations = item.configurations.filter((c) => c.label !== label);
    const c = { id: this.next.config++, label, value };
    item.configurations.push(c);
    return c;
  }

  /** Checkout with auto-pay: the order is paid at once and each item delivers a server after its lead time. */
  checkout(cart: CartRec): OrderRec {
    cart.readOnly = true;
    const items = cart.items.map((id) => this.items.get(id)!).filter(Boolean);
    const lead = Math.max(...items.map((i) => planByCode(i.planCode)?.leadFactor ?? 1));
    const order: OrderRec = { orderId: this.next.order++, cartId: cart.cartId, date: this.now(), details: [], deliverAt: this.now() + this.ctx.config.orderMs * lead };
    for (const item of items) {
      const plan = planByCode(item.planCode)!;
      const serviceName = `ns${this.next.server}.ip-51-${75 + Math.floor(this.next.ip / 250)}-${(this.next.ip % 250) + 2}.eu`;
      order.details.push({ detailId: this.next.detail++, cartItemID: item.itemId, planCode: plan.planCode, serviceName, description: plan.invoiceName, monthly: plan.monthly });
      const dc = DATACENTERS[item.configurations.find((c) => c.label === 'dedicated_datacenter')?.value ?? 'gra'] ?? DATACENTERS.gra!;
      const os = item.configurations.find((c) => c.label === 'dedicated_os')?.value ?? 'none_64.en';
      const ip = `51.75.${Math.floor(this.next.ip / 250)}.${(this.next.ip++ % 250) + 2}`;
      const serverId = this.next.server++;
      // The delivery installs the ordered OS: one install task, done installMs after delivery.
      const deliveredAt = order.deliverAt;
      this.servers.set(serviceName, {
        serviceName,
        serverId,
        serviceId: serverId + 100_000_000,
        orderId: order.orderId,
        plan,
        datacenter: dc.dc,
        os: os.replace(/\.en$/, ''),
        ip,
        deliveredAt,
        bootId: BOOT_HARDDISK,
        bootScript: null,
        sshKey: this.sshKeys.defaultKey()?.key ?? null,
        powerState: 'poweron',
        tasks: [{ taskId: this.next.task++, function: 'reinstallServer', startDate: deliveredAt, doneDate: deliveredAt + this.ctx.config.installMs, comment: `install ${os}` }],
        deleteAtExpiration: false,
        terminationToken: null,
        expiration: deliveredAt + MONTH_MS,
      });
    }
    this.orders.set(order.orderId, order);
    return order;
  }

  orderStatus(o: OrderRec): 'checking' | 'delivering' | 'delivered' {
    const t = this.now();
    if (t < o.date + (o.deliverAt - o.date) / 4) return 'checking';
    return t < o.deliverAt ? 'delivering' : 'delivered';
  }

  /** Servers delivered and not yet deleted (a service set to be deleted goes at its expiration). */
  liveServers(): ServerRec[] {
    const t = this.now();
    for (const [k, s] of this.servers) if (s.deleteAtExpiration && s.expiration <= t) this.servers.delete(k);
    return [...this.servers.values()].filter((s) => s.deliveredAt <= t);
  }

  server(name: string): ServerRec | undefined {
    return this.liveServers().find((s) => s.serviceName === name);
  }

  addTask(s: ServerRec, fn: string, durationMs: number, comment: string): TaskRec {
    const busy = Math.max(this.now(), ...s.tasks.map((t) => t.doneDate));
    const task = { taskId: this.next.task++, function: fn, startDate: busy, doneDate: busy + durationMs, comment };
    s.tasks.push(task);
    return task;
  }

  taskStatus(t: TaskRec): 'todo' | 'doing' | 'done' {
    const n = this.now();
    return n < t.startDate ? 'todo' : n < t.doneDate ? 'doing' : 'done';
  }

  /** The renew's end: a service set to be deleted at expiration ends with its paid month. */
  endAtExpiration(s: ServerRec): void {
    s.deleteAtExpiration = true;
    while (s.expiration < this.now()) s.expiration += MONTH_MS;
  }
}
