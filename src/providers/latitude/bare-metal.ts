/**
 * Bare metal on Latitude.sh: the order's stages while waiting (starting_deploy → disk_erasing →
 * deploying → on, shown as ordered → provisioning → installing → active with elapsed time), the
 * native iPXE reinstall (POST /servers/{id}/reinstall with operating_system "ipxe" and the script's
 * URL), and what destroying means for the bill (hourly: deleted at once; monthly or yearly:
 * deletion scheduled for the end of the billing cycle).
 */
import {
  isManaged,
  pollUntil,
  ProviderError,
  UserError,
  type Instance,
  type IpxeService,
  type OperationOptions,
  type ProviderTimeouts,
} from '../../core/index.js';
import type { LatitudeClient } from './client.js';
import { FAILED_STATUSES, PROVIDER, serverToInstance, stageOf } from './mapping.js';
import type { LsServer } from './schema.js';

export interface BareMetalContext {
  client: LatitudeClient;
  timeouts: ProviderTimeouts;
  /** How much faster than real time the API's clock runs (a time-scaled emulator): elapsed times are shown in its time. */
  timeScale: number;
}

function elapsed(ms: number, scale = 1): string {
  const s = Math.round((ms * scale) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
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
export async function waitThroughStages(
  c: BareMetalContext,
  id: string,
  what: string,
  o?: OperationOptions,
  afterTransition = false,
): Promise<Instance> {
  const started = Date.now();
  let left = !afterTransition;
  let lastRaw = '';
  return pollUntil({
    provider: PROVIDER,
    operation: `${what} of server ${id}`,
    timeoutMs: c.timeouts.instanceReadyMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const s = await mustGet(c, id, what, o);
      const inst = serverToInstance(s);
      const raw = inst.status.raw;
      if (FAILED_STATUSES.has(raw)) {
        throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: id, message: `${what} of server ${id} failed: status ${raw}` });
      }
      if (raw !== 'on') left = true;
      if (left && raw === 'on' && (inst.ipv4 || inst.ipv6)) {
        o?.onProgress?.({ phase: 'active', message: `${inst.name}: active after ${elapsed(Date.now() - started, c.timeScale)}`, fraction: 1 });
        return inst;
      }
      if (!left) {
        // Still the `on` from before the request: nothing has started yet.
        if (lastRaw === '') o?.onProgress?.({ phase: 'waiting', message: `${inst.name || id}: waiting for the ${what} to start` });
        lastRaw = raw;
        return undefined;
      }
      if (raw !== lastRaw) {
        lastRaw = raw;
        o?.onProgress?.({ phase: stageOf(raw), message: `${inst.name || id}: ${stageOf(raw)} (${raw}) after ${elapsed(Date.now() - started, c.timeScale)}` });
      }
      return undefined;
    },
  });
}

function checkIpxeUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--ipxe "${url}" is not a URL`, 'give the http:// or https:// URL of an iPXE script');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UserError(`--ipxe "${url}" is not an http(s) URL`, 'Latitude.sh fetches the iPXE script over http or https');
  }
}

export function ipxeService(c: BareMetalContext): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      checkIpxeUrl(ipxeUrl);
      const s = await mustGet(c, id, 'reinstall', o);
      const inst = serverToInstance(s);
      // A reinstall wipes the disks: only servers ferry ordered, re-read just before.
      if (!isManaged(inst.labels)) {
        throw new ProviderError({ kind: 'forbidden', provider: PROVIDER, subject: id, message: `server ${id} (${inst.name}) was not created by ferry; refusing to reinstall it` });
      }
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
