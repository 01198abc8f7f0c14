/**
 * In-memory state of one emulated Hivelocity account. Nothing runs on timers: a device's stage
 * (ordered → provisioning → installing → in use, reloading, powering) and a cancellation's end
 * are computed from the emulated clock when read.
 */
import type { EmulatorContext } from '../engine/index.js';
import { productById, type EmuProduct } from './catalog.js';

/** spsStatus values of the Device-dump enum, in the order an instant order walks through them. */
export type SpsStatus = 'RESERVED' | 'PROVISION_STARTED' | 'PROVISION_WAIT_FOR_ADDONS' | 'IN_USE' | 'RELOADING';

export interface DeviceRec {
  deviceId: number;
  orderId: number;
  serviceId: number;
  productId: number;
  locationName: string;
  hostname: string;
  osName: string;
  tags: string[];
  script: string | null;
  publicSshKeyId: number | null;
  period: string;
  ipxeUrl: string | null;
  ipxeContents: string | null;
  primaryIp: string;
  orderedAt: number;
  /** Emulated durations of this order's stages. */
  leadMs: number;
  pxeMs: number;
  installMs: number;
  /** The last power action: PENDING until `until`, then `to`. */
  power: { to: 'ON' | 'OFF'; until: number } | null;
  reload: { until: number } | null;
  /** A monthly service's cancellation: the device stays until the end of the paid period. */
  cancellation: { requestedAt: number; effectiveAt: number } | null;
}

export interface SshKeyRec {
  sshKeyId: number;
  name: string;
  publicKey: string;
}

export const BILLING_PERIOD_MS: Record<string, number> = {
  hourly: 3600_000,
  monthly: 30 * 86400_000,
  quarterly: 91 * 86400_000,
  'semi-annually': 182 * 86400_000,
  annually: 365 * 86400_000,
  biennial: 730 * 86400_000,
  triennial: 1095 * 86400_000,
};

export class HivelocityState {
  readonly devices = new Map<number, DeviceRec>();
  readonly sshKeys = new Map<number, SshKeyRec>();
  private nextDevice = 10_400;
  private nextOrder = 88_000;
  private nextKey = 300;
  private nextIp = 10;

  constructor(readonly ctx: EmulatorContext) {}

  now(): number {
    return this.ctx.clock.now();
  }

  /** Devices still in the account: a cancellation removes the device once its period has ended. */
  live(): DeviceRec[] {
    const now = this.now();
    for (const [id, d] of this.devices) if (d.cancellation && d.cancellation.effectiveAt <= now) this.devices.delete(id);
    return [...this.devices.values()];
  }

  get(id: number): DeviceRec | undefined {
    return this.live().find((d) => d.deviceId === id);
  }

  order(p: EmuProduct, fields: Omit<DeviceRec, 'deviceId' | 'orderId' | 'serviceId' | 'primaryIp' | 'orderedAt' | 'leadMs' | 'pxeMs' | 'installMs' | 'power' | 'reload' | 'cancellation' | 'productId'>): DeviceRec {
    const boot = this.ctx.config.bootMs;
    const d: DeviceRec = {
      ...fields,
      productId: p.id,
      deviceId: this.nextDevice++,
      orderId: this.nextOrder++,
      serviceId: 500_000 + this.nextDevice,
      primaryIp: `66.165.${200 + Math.floor(this.nextIp / 250)}.${(this.nextIp++ % 250) + 2}`,
      orderedAt: this.now(),
      leadMs: boot * p.leadFactor,
      // PXE boot and hardware checks, then the OS install and add-ons.
      pxeMs: boot * 5,
      installMs: boot * 10,
      power: null,
      reload: null,
      cancellation: null,
    };
    this.devices.set(d.deviceId, d);
    return d;
  }

  sps(d: DeviceRec): SpsStatus {
    const t = this.now() - d.orderedAt;
    if (t < d.leadMs) return 'RESERVED';
    if (t < d.leadMs + d.pxeMs) return 'PROVISION_STARTED';
    if (t < d.leadMs + d.pxeMs + d.installMs) return 'PROVISION_WAIT_FOR_ADDONS';
    if (d.reload && this.now() < d.reload.until) return 'RELOADING';
    return 'IN_USE';
  }

  powerStatus(d: DeviceRec): 'ON' | 'OFF' | 'PENDING' {
    const sps = this.sps(d);
    if (sps === 'RESERVED') return 'OFF';
    if (sps !== 'IN_USE') return 'ON';
    if (!d.power) return 'ON';
    return this.now() < d.power.until ? 'PENDING' : d.power.to;
  }

  /** The order's status as GET /order/{id} tells it (the words Hivelocity's own tooling waits on). */
  orderStatus(d: DeviceRec): string {
    const t = this.now() - d.orderedAt;
    if (t < d.leadMs / 3) return 'verification';
    if (t < d.leadMs) return 'provisioning';
    return 'complete';
  }

  /** A new hardware reload with `reloadMs` of work; the device is ON again afterwards. */
  startReload(d: DeviceRec): void {
    d.reload = { until: this.now() + this.ctx.config.bootMs * 15 };
    d.power = null;
  }

  power(d: DeviceRec, to: 'ON' | 'OFF'): void {
    d.power = { to, until: this.now() + this.ctx.config.actionMs };
  }

  /** Monthly (and longer) services end with their paid period; hourly ones go at once. */
  cancel(d: DeviceRec): 'deleted' | 'started' {
    if (d.period === 'hourly') {
      this.devices.delete(d.deviceId);
      return 'deleted';
    }
    const period = BILLING_PERIOD_MS[d.period] ?? BILLING_PERIOD_MS.monthly!;
    const elapsed = this.now() - d.orderedAt;
    const periods = Math.max(1, Math.ceil(elapsed / period));
    d.cancellation = { requestedAt: this.now(), effectiveAt: d.orderedAt + periods * period };
    return 'started';
  }

  product(d: DeviceRec): EmuProduct | undefined {
    return productById(d.productId);
  }

  addKey(name: string, publicKey: string): SshKeyRec {
    const k = { sshKeyId: this.nextKey++, name, publicKey: publicKey.trim() };
    this.sshKeys.set(k.sshKeyId, k);
    return k;
  }
}
