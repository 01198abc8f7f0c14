/**
 * Bare-metal behaviour on Hivelocity: waiting through an order's stages (ordered → provisioning →
 * installing → in use) with progress, power actions waited to their end, and the reinstall over
 * custom iPXE: the device is powered off, then PUT /bare-metal-devices/{id} reloads it with the
 * product's "Custom iPXE" OS option and customIPXEScriptURL (the API refuses a reload of a device
 * that is on, so the power-off comes first, as Hivelocity's own Terraform provider does).
 */
import {
  checkIpxeUrl,
  ProviderError,
  waitThroughStages,
  type ImageSpec,
  type Instance,
  type IpxeService,
  type OperationOptions,
  type PowerService,
  type ProviderTimeouts,
} from '../../core/index.js';
import type { HivelocityCatalog } from './catalog.js';
import type { HivelocityClient, PowerAction } from './client.js';
import { POWER_OFF_FIRST } from './errors.js';
import { deviceStatus, deviceToInstance, PROVIDER, type Stage } from './mapping.js';
import type { HvBareMetalDevice, HvDeviceDump } from './schema.js';

export interface BareMetalContext {
  client: HivelocityClient;
  catalog: HivelocityCatalog;
  timeouts: ProviderTimeouts;
  domain: string;
}

export const isDeviceId = (id: string) => /^[1-9]\d{0,11}$/.test(id);

export interface DeviceView {
  bm: HvBareMetalDevice;
  dump: HvDeviceDump | null;
  instance: Instance;
  stage: Stage;
}

/** Both views of one device (BareMetalDevice, then Device-dump for its provisioning status); null when it does not exist. */
export async function readDevice(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<DeviceView | null> {
  if (!isDeviceId(id)) return null;
  const bm = await ctx.client.getBareMetalDevice(id, o);
  if (!bm) return null;
  const dump = await ctx.client.getDevice(id, o);
  return { bm, dump, instance: deviceToInstance(bm, dump, ctx.domain), stage: deviceStatus(bm, dump).stage };
}

function missing(id: string): ProviderError {
  return new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `hivelocity device ${id} not found` });
}

/**
 * Polls the device until `done` says so, reporting each stage (and its elapsed time) through
 * onProgress; a failed provisioning or a device that disappears ends the wait with an error.
 */
export function waitForDevice(
  ctx: BareMetalContext,
  id: string,
  what: string,
  done: (v: DeviceView) => boolean,
  o?: OperationOptions,
  timeoutMs = ctx.timeouts.instanceReadyMs,
): Promise<DeviceView> {
  return waitThroughStages({
    provider: PROVIDER,
    operation: `${what} (device ${id})`,
    timeoutMs,
    intervalMs: ctx.timeouts.pollIntervalMs,
    o,
    read: async () => {
      const v = await readDevice(ctx, id, o);
      if (!v || v.dump?.hasCancellation) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `hivelocity device ${id} disappeared (or was cancelled) while ${what}` });
      if (v.stage === 'failed') throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: id, message: `hivelocity device ${id} ended up ${v.instance.status.raw} while ${what}` });
      return v;
    },
    done,
    stage: (v) => ({ key: v.instance.status.raw, phase: v.stage, message: (after) => `${v.instance.name || id}: ${v.instance.status.raw} after ${after}` }),
  });
}

const readyToUse = (v: DeviceView) => v.stage === 'in-use' && v.instance.status.state === 'active' && v.instance.ipv4 !== null;

export async function waitReady(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<Instance> {
  const v = await waitForDevice(ctx, id, 'waiting for the order to be installed and powered on', readyToUse, o);
  o?.onProgress?.({ phase: 'active', message: `${v.instance.name}: active at ${v.instance.ipv4}` });
  return v.instance;
}

async function powerAndWait(ctx: BareMetalContext, id: string, action: PowerAction, o?: OperationOptions): Promise<Instance> {
  const v = await readDevice(ctx, id, o);
  if (!v || v.dump?.hasCancellation) throw missing(id);
  if (v.stage !== 'in-use') {
    throw new ProviderError({ kind: 'conflict', provider: PROVIDER, subject: id, message: `hivelocity device ${id} is ${v.instance.status.raw}; power actions wait until it is in use` });
  }
  const want = action === 'shutdown' ? 'off' : 'active';
  if (action !== 'reboot' && v.instance.status.state === want) return v.instance;
  await ctx.client.power(id, action, o);
  const end = await waitForDevice(ctx, id, `${action} to finish`, (x) => x.stage === 'in-use' && x.instance.status.state === want, o, ctx.timeouts.actionCompleteMs);
  return end.instance;
}

export function powerService(ctx: BareMetalContext): PowerService {
  return {
    start: (id, o) => powerAndWait(ctx, id, 'boot', o),
    stop: (id, o) => powerAndWait(ctx, id, 'shutdown', o),
    reboot: (id, o) => powerAndWait(ctx, id, 'reboot', o),
  };
}

/** What a reload installs: an OS option, or the custom-iPXE option with the script's URL. */
export interface ReloadTarget {
  osName: string;
  ipxeUrl?: string;
}

/**
 * Reloads a device in use: power off (Hivelocity refuses to reload a device that is on), PUT the
 * new OS (and iPXE URL) with forceReload, then wait through RELOADING until it is on again.
 * The device keeps its hostname and tags; its disks are wiped.
 */
export async function reload(ctx: BareMetalContext, v: DeviceView, target: ReloadTarget, o?: OperationOptions): Promise<Instance> {
  const id = v.instance.id;
  if (v.instance.status.state !== 'off') {
    o?.onProgress?.({ phase: 'power-off', message: `${v.instance.name}: powering off before the reload` });
    await powerAndWait(ctx, id, 'shutdown', o);
  }
  const body = {
    hostname: v.bm.hostname ?? `${v.instance.name}.${ctx.domain}`,
    osName: target.osName,
    forceReload: true,
    tags: v.bm.tags ?? [],
    ...(target.ipxeUrl ? { customIPXEScriptURL: target.ipxeUrl } : {}),
  };
  try {
    await ctx.client.updateBareMetalDevice(id, body, o);
  } catch (err) {
    // Powered on again in between (by someone else): once more, off first.
    if (!(ProviderError.is(err) && POWER_OFF_FIRST.test(err.message))) throw err;
    await powerAndWait(ctx, id, 'shutdown', o);
    await ctx.client.updateBareMetalDevice(id, body, o);
  }
  o?.onProgress?.({ phase: 'reinstalling', message: `${v.instance.name}: reloading with ${target.osName}${target.ipxeUrl ? ` from ${target.ipxeUrl}` : ''}` });
  const done = await waitForDevice(ctx, id, `reloading with ${target.osName}`, readyToUse, o);
  o?.onProgress?.({ phase: 'active', message: `${v.instance.name}: ${target.ipxeUrl ? 'booted the iPXE script' : `running ${target.osName}`}` });
  return done.instance;
}

async function deviceForReload(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<DeviceView & { productId: number }> {
  const v = await readDevice(ctx, id, o);
  if (!v || v.dump?.hasCancellation) throw missing(id);
  if (typeof v.bm.productId !== 'number') throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: id, message: `hivelocity device ${id} has no productId` });
  if (v.stage !== 'in-use') {
    throw new ProviderError({ kind: 'conflict', provider: PROVIDER, subject: id, message: `hivelocity device ${id} is ${v.instance.status.raw}; a reload waits until it is in use` });
  }
  return { ...v, productId: v.bm.productId };
}

export function ipxeService(ctx: BareMetalContext): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      checkIpxeUrl(ipxeUrl, 'Hivelocity');
      const v = await deviceForReload(ctx, id, o);
      const option = await ctx.catalog.ipxeOption(v.productId, o);
      if (!option?.name) {
        throw ProviderError.notSupported(PROVIDER, 'reinstallIpxe', `product ${v.productId} of device ${id} has no custom iPXE operating-system option`);
      }
      await reload(ctx, v, { osName: option.name, ipxeUrl }, o);
    },
  };
}

/** `ferry reinstall --os <image>`: a reload with one of the product's OS options. */
export async function reinstallOs(ctx: BareMetalContext, id: string, image: ImageSpec, o?: OperationOptions): Promise<Instance> {
  const v = await deviceForReload(ctx, id, o);
  const osName = await ctx.catalog.checkImage(image, v.productId, o);
  return reload(ctx, v, { osName }, o);
}
