/**
 * Bare metal on Latitude.sh: the order's stages while waiting (starting_deploy → disk_erasing →
 * deploying → on, shown as ordered → provisioning → installing → active with elapsed time), the
 * native iPXE reinstall (POST /servers/{id}/reinstall with operating_system "ipxe" and the script's
 * URL), and what destroying means for the bill (hourly: deleted at once; monthly or yearly:
 * deletion scheduled for the end of the billing cycle).
 */
import { checkIpxeUrl, ProviderError, refuseUnmanaged, waitUntilOn, type Instance, type IpxeService, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { LatitudeClient } from './client.js';
import { FAILED_STATUSES, PROVIDER, serverToInstance, stageOf } from './mapping.js';
import type { LsServer } from './schema.js';

export interface BareMetalContext {
  client: LatitudeClient;
  timeouts: ProviderTimeouts;
  /** How much faster than real time the API's clock runs (a time-scaled emulator): elapsed times are shown in its time. */
  timeScale: number;
}

export async function readInstance(c: BareMetalContext, id: string, o?: OperationOptions): Promise<Instance | null> {
  const s = await c.client.getServer(id, o);
  return s ? serverToInstance(s) : null;
}

async function mustGet(c: BareMetalContext, id: string, doing: string, o?: OperationOptions): Promise<LsServer> {
  const s = await c.client.getServer(id, o);
  if (!s) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} not found (${doing})` });
  return s;
}

/**
 * Waits for `on` with an address, reporting each stage. With `afterTransition`, an `on` read
 * before the server left it (a reinstall not yet picked up) does not count.
 */
export function waitThroughStages(c: BareMetalContext, id: string, what: string, o?: OperationOptions, afterTransition = false): Promise<Instance> {
  return waitUntilOn({ provider: PROVIDER, id, what, timeouts: c.timeouts, timeScale: c.timeScale, o, read: () => readInstance(c, id, o), failed: FAILED_STATUSES, stageOf, afterTransition });
}

export function ipxeService(c: BareMetalContext): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      checkIpxeUrl(ipxeUrl, 'Latitude.sh');
      const s = await mustGet(c, id, 'reinstall', o);
      const inst = serverToInstance(s);
      refuseUnmanaged(PROVIDER, id, inst, 'reinstall');
      await c.client.reinstall(id, { operating_system: 'ipxe', ipxe: ipxeUrl, hostname: inst.name }, o);
      o?.onProgress?.({ phase: 'reinstall', message: `${inst.name}: reinstall over iPXE from ${ipxeUrl} accepted` });
      await waitThroughStages(c, id, 'iPXE reinstall', o, true);
    },
  };
}

/** Hourly servers are deleted (billing stops); monthly or yearly ones are scheduled for deletion at the end of the cycle. */
export async function destroyServer(c: BareMetalContext, id: string, o?: OperationOptions): Promise<void> {
  const s = await c.client.getServer(id, o);
  if (!s) return;
  const billing = s.attributes?.plan?.billing ?? 'hourly';
  if (billing === 'monthly' || billing === 'yearly') {
    if (s.attributes?.scheduled_deletion_at) return;
    o?.onProgress?.({ phase: 'cancel', message: `server ${id} is billed ${billing}: deletion scheduled for the end of the billing cycle` });
    await c.client.scheduleDeletion(id, o);
    return;
  }
  await c.client.deleteServer(id, o);
}
