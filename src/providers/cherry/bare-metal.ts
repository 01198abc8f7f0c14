/**
 * Bare metal on Cherry Servers: the order's stages while waiting (state pending → provisioning →
 * active with status deploying → deployed, shown as ordered → provisioning → installing →
 * active with elapsed time), and the iPXE reinstall: a `rebuild` action whose user data is the
 * chain script `#!ipxe` / `chain <url>` (base64, as Cherry takes user data).
 */
import { randomBytes } from 'node:crypto';
import { checkIpxeUrl, ProviderError, refuseUnmanaged, waitUntilOn, type Instance, type IpxeService, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
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

export async function readInstance(c: BareMetalContext, id: string, o?: OperationOptions): Promise<Instance | null> {
  const n = toId(id);
  if (n === null) return null;
  const s = await c.client.getServer(n, o);
  return s ? readServer(c.client, s, o) : null;
}

/** Waits for a deployed, powered-on server with an address; `afterTransition` ignores a stale `on`. */
export function waitThroughStages(c: BareMetalContext, id: string, what: string, o?: OperationOptions, afterTransition = false): Promise<Instance> {
  return waitUntilOn({ provider: PROVIDER, id, what, timeouts: c.timeouts, timeScale: c.timeScale, o, read: () => readInstance(c, id, o), failed: FAILED_STATUSES, stageOf, afterTransition });
}

export function chainScript(url: string): string {
  return `#!ipxe\nchain ${url}\n`;
}

export function ipxeService(c: BareMetalContext): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      // The URL goes raw into the script's `chain` line: no spaces.
      checkIpxeUrl(ipxeUrl, 'iPXE', { chars: /\s/, named: 'spaces' });
      const n = toId(id);
      const s = n === null ? null : await c.client.getServer(n, o);
      const inst = s ? await readServer(c.client, s, o) : null;
      if (!s || !inst) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} not found (reinstall)` });
      refuseUnmanaged(PROVIDER, id, inst, 'reinstall');
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
