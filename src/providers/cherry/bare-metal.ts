/**
 * Bare metal on Cherry Servers: the order's stages while waiting (state pending → provisioning →
 * active with status deploying → deployed, shown as ordered → provisioning → installing →
 * active with elapsed time), and the iPXE reinstall: a `rebuild` action whose user data is the
 * chain script `#!ipxe` / `chain <url>` (base64, as Cherry takes user data).
 */
import { randomBytes } from 'node:crypto';
import { isManaged, pollUntil, ProviderError, UserError, type Instance, type IpxeService, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import { readServer } from './account.js';
import type { CherryClient } from './client.js';
import { FAILED_STATUSES, PROVIDER, stageOf } from './mapping.js';

export interface BareMetalContext {
  client: CherryClient;
  timeouts: ProviderTimeouts;
  /** How much faster than real time the API's clock runs (a time-scaled emulator): elapsed times are shown in its time. */
  timeScale: number;
}

export const toId = (id: string): number | null => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : null);

function elapsed(ms: number, scale = 1): string {
  const s = Math.round((ms * scale) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

export async function readInstance(c: BareMetalContext, id: string, o?: OperationOptions): Promise<Instance | null> {
  const n = toId(id);
  if (n === null) return null;
  const s = await c.client.getServer(n, o);
  return s ? readServer(c.client, s, o) : null;
}

/** Waits for a deployed, powered-on server with an address; `afterTransition` ignores a stale `on`. */
export async function waitThroughStages(c: BareMetalContext, id: string, what: string, o?: OperationOptions, afterTransition = false): Promise<Instance> {
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
      const inst = await readInstance(c, id, o);
      if (!inst) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} not found (${what})` });
      const raw = inst.status.raw;
      if (FAILED_STATUSES.has(raw)) {
        throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: id, message: `${what} of server ${id} failed: ${raw}` });
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

export function chainScript(url: string): string {
  return `#!ipxe\nchain ${url}\n`;
}

function checkIpxeUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--ipxe "${url}" is not a URL`, 'give the http:// or https:// URL of an iPXE script');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UserError(`--ipxe "${url}" is not an http(s) URL`, 'iPXE chains to http or https URLs');
  if (/\s/.test(url)) throw new UserError(`--ipxe "${url}" contains spaces`, 'encode them (%20)');
}

export function ipxeService(c: BareMetalContext): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      checkIpxeUrl(ipxeUrl);
      const n = toId(id);
      const s = n === null ? null : await c.client.getServer(n, o);
      const inst = s ? await readServer(c.client, s, o) : null;
      if (!s || !inst) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} not found (reinstall)` });
      // A rebuild wipes the disks: only servers ferry ordered, re-read just before.
      if (!isManaged(inst.labels)) {
        throw new ProviderError({ kind: 'forbidden', provider: PROVIDER, subject: id, message: `server ${id} (${inst.name}) was not created by ferry; refusing to reinstall it` });
      }
      const image = s.deployed_image?.slug;
      if (!image) throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: id, message: `server ${id} reports no deployed image to rebuild with` });
      // The API requires a root password on rebuild; a random one nobody keeps (SSH keys or the iPXE image decide access).
      const password = randomBytes(18).toString('base64url');
      await c.client.action(n!, { type: 'rebuild', image, hostname: inst.name, password, user_data: Buffer.from(chainScript(ipxeUrl)).toString('base64') }, o);
      o?.onProgress?.({ phase: 'reinstall', message: `${inst.name}: rebuild chaining iPXE from ${ipxeUrl} accepted` });
      await waitThroughStages(c, id, 'iPXE reinstall', o, true);
    },
  };
}
