/**
 * What bare-metal drivers share (DESIGN 20): waiting through an order's stages with progress and a
 * timeout, power actions waited to their target state, and the checks before an iPXE reinstall.
 * A driver supplies the reads, its stage words and the wire call; the loops live here.
 */
import { ProviderError, UserError } from '../errors.js';
import { isManaged } from '../labels.js';
import { pollUntil, resolveTimeouts, type ProviderTimeouts } from '../timeouts.js';
import type { Instance, OperationOptions, Progress } from '../types.js';

/** An order can take hours, so the ready timeout is hours too; a setting still wins. */
export function bareMetalTimeouts(settings?: Partial<ProviderTimeouts>): ProviderTimeouts {
  return resolveTimeouts({ instanceReadyMs: 4 * 3600_000, ...settings });
}

/** "42s", "3m07s", "2h05m"; `scale` shows a time-scaled API's elapsed time in its own clock. */
export function formatElapsed(ms: number, scale = 1): string {
  const s = Math.round((ms * scale) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One read as the user sees it: progress is reported when `key` changes. */
export interface StageReport {
  key: string;
  phase: string;
  /** The text, given the elapsed time ("3m07s"). */
  message: (after: string) => string;
}

export interface StageWait<V> {
  provider: string;
  operation: string;
  timeoutMs: number;
  intervalMs: number;
  o?: OperationOptions;
  /** The resource now; throws to end the wait (gone, a failed stage). */
  read: () => Promise<V>;
  done: (v: V) => boolean;
  stage: (v: V) => StageReport;
  /** Also report the read that ends the wait (an order whose last stage is itself news). */
  reportLast?: boolean;
  /** The progress that closes a successful wait, given the elapsed time. */
  finished?: (v: V, after: string) => Progress;
  /** How much faster than real time the API's clock runs (a time-scaled emulator). */
  timeScale?: number;
}

/** Polls until `done`, reporting each new stage with its elapsed time; a timeout names the operation. */
export async function waitThroughStages<V>(w: StageWait<V>): Promise<V> {
  const started = Date.now();
  const after = () => formatElapsed(Date.now() - started, w.timeScale);
  let last = '';
  const report = (v: V) => {
    const s = w.stage(v);
    if (s.key === last) return;
    last = s.key;
    w.o?.onProgress?.({ phase: s.phase, message: s.message(after()) });
  };
  const v = await pollUntil({
    provider: w.provider,
    operation: w.operation,
    timeoutMs: w.timeoutMs,
    intervalMs: w.intervalMs,
    signal: w.o?.signal,
    check: async () => {
      const v = await w.read();
      if (w.reportLast) report(v);
      if (w.done(v)) return v;
      if (!w.reportLast) report(v);
      return undefined;
    },
  });
  if (w.finished) w.o?.onProgress?.(w.finished(v, after()));
  return v;
}

export interface DeployWait {
  provider: string;
  id: string;
  /** What is awaited, for messages: "deployment", "iPXE reinstall". */
  what: string;
  timeouts: ProviderTimeouts;
  timeScale?: number;
  o?: OperationOptions;
  /** The server now, or null when it does not exist. */
  read: () => Promise<Instance | null>;
  /** Raw statuses that end the wait with an error. */
  failed: ReadonlySet<string>;
  /** Raw status → ferry's stage word (ordered, provisioning, installing…). */
  stageOf: (raw: string) => string;
  /** An `on` read before the server left it (a reinstall not yet picked up) does not count. */
  afterTransition?: boolean;
}

/** Waits for a server whose raw status is `on` and that has an address, showing each stage in between. */
export async function waitUntilOn(w: DeployWait): Promise<Instance> {
  let left = !w.afterTransition;
  return waitThroughStages<Instance>({
    provider: w.provider,
    operation: `${w.what} of server ${w.id}`,
    timeoutMs: w.timeouts.instanceReadyMs,
    intervalMs: w.timeouts.pollIntervalMs,
    timeScale: w.timeScale,
    o: w.o,
    read: async () => {
      const inst = await w.read();
      if (!inst) throw new ProviderError({ kind: 'not_found', provider: w.provider, subject: w.id, message: `server ${w.id} not found (${w.what})` });
      if (w.failed.has(inst.status.raw)) throw new ProviderError({ kind: 'api', provider: w.provider, subject: w.id, message: `${w.what} of server ${w.id} failed: status ${inst.status.raw}` });
      if (inst.status.raw !== 'on') left = true;
      return inst;
    },
    done: (inst) => left && inst.status.raw === 'on' && !!(inst.ipv4 || inst.ipv6),
    // Still the `on` from before the request: nothing has started yet.
    stage: (inst) =>
      left
        ? { key: inst.status.raw, phase: w.stageOf(inst.status.raw), message: (after) => `${inst.name || w.id}: ${w.stageOf(inst.status.raw)} (${inst.status.raw}) after ${after}` }
        : { key: '\0before', phase: 'waiting', message: () => `${inst.name || w.id}: waiting for the ${w.what} to start` },
    finished: (inst, after) => ({ phase: 'active', message: `${inst.name}: active after ${after}`, fraction: 1 }),
  });
}

export interface PowerWait {
  provider: string;
  id: string;
  /** The wire action's name ("power_off"), used as the progress phase. */
  action: string;
  /** The raw status that ends the wait. */
  want: string;
  timeouts: ProviderTimeouts;
  o?: OperationOptions;
  send: () => Promise<unknown>;
  read: () => Promise<Instance | null>;
}

/** Sends a power action, then polls until the raw status is `want`, reporting each read that is not yet. */
export async function powerAndWait(p: PowerWait): Promise<Instance> {
  await p.send();
  return pollUntil({
    provider: p.provider,
    operation: `${p.action} of server ${p.id}`,
    timeoutMs: p.timeouts.actionCompleteMs,
    intervalMs: p.timeouts.pollIntervalMs,
    signal: p.o?.signal,
    check: async () => {
      const inst = await p.read();
      if (!inst) throw new ProviderError({ kind: 'not_found', provider: p.provider, subject: p.id, message: `server ${p.id} disappeared during ${p.action}` });
      if (inst.status.raw === p.want) return inst;
      p.o?.onProgress?.({ phase: p.action, message: `${inst.name}: ${inst.status.raw}, waiting for ${p.want}` });
      return undefined;
    },
  });
}

/**
 * The URL given to --ipxe: an http(s) URL, checked before any request. `fetchedBy` says who fetches
 * it (the hint); `unsafe` refuses characters that would break the script or command line the URL
 * is written into raw.
 */
export function checkIpxeUrl(url: string, fetchedBy: string, unsafe?: { chars: RegExp; named: string }): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`--ipxe "${url}" is not a URL`, 'give the http(s) URL of an iPXE script, e.g. https://boot.example.com/boot.ipxe');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UserError(`--ipxe "${url}" must be an http or https URL`, `${fetchedBy} fetches the script over HTTP(S)`);
  if (unsafe?.chars.test(url)) throw new UserError(`--ipxe "${url}" contains ${unsafe.named}`, 'percent-encode them in the URL');
}

/** A reinstall wipes the disks: refused for a server ferry did not create (read just before). */
export function refuseUnmanaged(provider: string, id: string, inst: Instance, doing: string): void {
  if (isManaged(inst.labels)) return;
  throw new ProviderError({ kind: 'forbidden', provider, subject: id, message: `server ${id} (${inst.name}) was not created by ferry; refusing to ${doing} it` });
}
