import { orNull, pollUntil, ProviderError, resolveTimeouts, type HttpSettings, type ProviderTimeouts } from '../../core/index.js';
import { HttpClient, nodeFetch, noRateLimit } from '../../transport/index.js';
import { parsePveError, taskFailureKind } from './errors.js';
import { parseUpid, PROVIDER } from './mapping.js';
import type {
  PveAgentInterfaces,
  PveClusterResource,
  PveEnvelope,
  PveNode,
  PveSnapshot,
  PveStorage,
  PveTaskLogLine,
  PveTaskStatus,
  PveVersion,
  PveVmConfig,
  PveVmListItem,
  PveVmStatus,
  Upid,
} from './schema.js';

export interface ProxmoxClientOptions {
  /** https://pve.example:8006 (the /api2/json suffix is added when missing). */
  url: string;
  /** USER@REALM!TOKENID */
  tokenId: string;
  tokenSecret: string;
  timeouts?: Partial<ProviderTimeouts>;
  http?: HttpSettings;
  /** false accepts self-signed certificates (the PVE default install). */
  verifyTls?: boolean;
}

export interface CloneOptions {
  newid: number;
  name: string;
  description?: string;
  /** Full copy (independent disks) rather than a linked clone. */
  full?: boolean;
  storage?: string;
  pool?: string;
  /** Node to clone onto (needs shared storage when it is not the template's node). */
  target?: string;
  /** Clone a snapshot of the source VM instead of its current state. */
  snapname?: string;
}

/** Config keys ferry writes; values as PVE takes them in a form. */
export type ConfigUpdate = Record<string, string | number | boolean | undefined>;

type Opts = { signal?: AbortSignal | undefined };

const seg = encodeURIComponent;

/** PVE task failure, with the tail of the task log. */
export class PveTaskError extends ProviderError {}

/**
 * Thin wrapper over the PVE REST calls ferry and the provider agent use: every method is
 * one request (waitTask polls), answers are unwrapped from `{ data }`, and a missing VM
 * reads as null where the caller needs to tell "gone" from "failed".
 */
export class ProxmoxClient {
  readonly http: HttpClient;
  readonly timeouts: ProviderTimeouts;

  constructor(o: ProxmoxClientOptions) {
    this.timeouts = resolveTimeouts(o.timeouts);
    // verifyTls=false (a default PVE install's self-signed certificate) gets a client that skips the check.
    const insecure = o.verifyTls === false && !o.http?.fetch ? { fetch: nodeFetch({ verifyTls: false }) } : {};
    this.http = new HttpClient({
      provider: PROVIDER,
      baseUrl: apiBase(o.url),
      timeoutMs: this.timeouts.httpRequestMs,
      auth: { kind: 'header', name: 'authorization', value: `PVEAPIToken=${o.tokenId}=${o.tokenSecret}`, secret: o.tokenSecret },
      rateLimit: noRateLimit, // PVE has no API rate limit
      parseError: parsePveError,
      http: { ...o.http, ...insecure },
    });
  }

  private async get<T>(path: string, query?: Record<string, string | number | boolean>, o?: Opts): Promise<T> {
    const res = await this.http.get<PveEnvelope<T>>(path, { query, signal: o?.signal });
    return res.body.data;
  }

  private async send<T>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    form?: ConfigUpdate,
    o?: Opts & { query?: Record<string, string | number | boolean>; idempotent?: boolean },
  ): Promise<T> {
    const res = await this.http.request<PveEnvelope<T>>({ method, path, form, query: o?.query, signal: o?.signal, idempotent: o?.idempotent });
    return res.body.data;
  }

  version(o?: Opts): Promise<PveVersion> {
    return this.get('/version', undefined, o);
  }
  listNodes(o?: Opts): Promise<PveNode[]> {
    return this.get('/nodes', undefined, o);
  }
  /** Every guest in the cluster with node, name, status, tags, lock and template flag: one request. */
  clusterVms(o?: Opts): Promise<PveClusterResource[]> {
    return this.get('/cluster/resources', { type: 'vm' }, o);
  }
  listVms(node: string, o?: Opts): Promise<PveVmListItem[]> {
    return this.get(`/nodes/${seg(node)}/qemu`, undefined, o);
  }
  vmStatus(node: string, vmid: number, o?: Opts): Promise<PveVmStatus | null> {
    return orNull(this.get(`/nodes/${seg(node)}/qemu/${vmid}/status/current`, undefined, o));
  }
  vmConfig(node: string, vmid: number, o?: Opts): Promise<PveVmConfig | null> {
    return orNull(this.get(`/nodes/${seg(node)}/qemu/${vmid}/config`, undefined, o));
  }

  clone(node: string, vmid: number, c: CloneOptions, o?: Opts): Promise<Upid> {
    return this.send('POST', `/nodes/${seg(node)}/qemu/${vmid}/clone`, { ...c }, o);
  }
  /** Synchronous config update (PUT); PVE applies it before answering. */
  async updateConfig(node: string, vmid: number, params: ConfigUpdate, o?: Opts): Promise<void> {
    await this.send('PUT', `/nodes/${seg(node)}/qemu/${vmid}/config`, params, o);
  }
  start(node: string, vmid: number, o?: Opts): Promise<Upid> {
    return this.send('POST', `/nodes/${seg(node)}/qemu/${vmid}/status/start`, undefined, o);
  }
  /** Hard stop (power off); shutdown would wait on the guest. */
  stop(node: string, vmid: number, o?: Opts): Promise<Upid> {
    // Stopping twice is harmless (PVE stops a stopped VM without complaint), so it may be re-sent.
    return this.send('POST', `/nodes/${seg(node)}/qemu/${vmid}/status/stop`, undefined, { ...o, idempotent: true });
  }
  reboot(node: string, vmid: number, o?: Opts): Promise<Upid> {
    return this.send('POST', `/nodes/${seg(node)}/qemu/${vmid}/status/reboot`, undefined, o);
  }
  /** Removes the VM, its disks, and its entries in jobs, HA and pools (purge). */
  destroy(node: string, vmid: number, o?: Opts): Promise<Upid> {
    return this.send('DELETE', `/nodes/${seg(node)}/qemu/${vmid}`, undefined, {
      ...o,
      query: { purge: 1, 'destroy-unreferenced-disks': 1 },
    });
  }

  /** Guest agent interfaces; null while the agent is not running (booting, or not installed). */
  async agentInterfaces(node: string, vmid: number, o?: Opts): Promise<PveAgentInterfaces | null> {
    try {
      return await this.get<PveAgentInterfaces>(`/nodes/${seg(node)}/qemu/${vmid}/agent/network-get-interfaces`, undefined, o);
    } catch (err) {
      if (ProviderError.is(err, 'conflict') && err.subject === 'agent_not_running') return null;
      throw err;
    }
  }

  listSnapshots(node: string, vmid: number, o?: Opts): Promise<PveSnapshot[]> {
    return this.get(`/nodes/${seg(node)}/qemu/${vmid}/snapshot`, undefined, o);
  }
  createSnapshot(node: string, vmid: number, snapname: string, description: string, o?: Opts): Promise<Upid> {
    return this.send('POST', `/nodes/${seg(node)}/qemu/${vmid}/snapshot`, { snapname, description }, o);
  }
  /** null when the snapshot (or its VM) is already gone. */
  deleteSnapshot(node: string, vmid: number, snapname: string, o?: Opts): Promise<Upid | null> {
    return orNull(this.send<Upid>('DELETE', `/nodes/${seg(node)}/qemu/${vmid}/snapshot/${seg(snapname)}`, undefined, o));
  }

  listStorage(node: string, o?: Opts & { content?: string }): Promise<PveStorage[]> {
    return this.get(`/nodes/${seg(node)}/storage`, o?.content ? { content: o.content } : undefined, o);
  }
  async getStorage(node: string, storage: string, o?: Opts): Promise<PveStorage | null> {
    const list = await this.get<PveStorage[]>(`/nodes/${seg(node)}/storage`, { storage }, o);
    return list.find((s) => s.storage === storage) ?? null;
  }

  taskStatus(upid: Upid, o?: Opts): Promise<PveTaskStatus> {
    return this.get(`/nodes/${seg(taskNode(upid))}/tasks/${seg(upid)}/status`, undefined, o);
  }
  taskLog(upid: Upid, o?: Opts & { start?: number; limit?: number }): Promise<PveTaskLogLine[]> {
    return this.get(`/nodes/${seg(taskNode(upid))}/tasks/${seg(upid)}/log`, { start: o?.start ?? 0, limit: o?.limit ?? 500 }, o);
  }

  /** Polls the task until it stops; a non-OK exit is a PveTaskError carrying the log's tail. */
  async waitTask(upid: Upid, what: string, o?: Opts): Promise<PveTaskStatus> {
    const done = await pollUntil({
      provider: PROVIDER,
      operation: what,
      timeoutMs: this.timeouts.actionCompleteMs,
      intervalMs: this.timeouts.pollIntervalMs,
      signal: o?.signal,
      check: async () => {
        const s = await this.taskStatus(upid, o);
        return s.status === 'stopped' ? s : undefined;
      },
    });
    const exit = done.exitstatus ?? '';
    if (exit === 'OK' || exit.startsWith('WARNINGS')) return done;
    const lines = await this.taskLog(upid, o).catch(() => [] as PveTaskLogLine[]);
    const tail = lines.slice(-6).map((l) => l.t).filter((t) => t && t !== 'no content');
    throw new PveTaskError({
      kind: taskFailureKind([exit, ...tail].join('\n')),
      provider: PROVIDER,
      retryable: false,
      subject: upid,
      message: `${what} failed: ${exit || 'no exit status'}${tail.length ? `\n  task log: ${tail.join('\n  task log: ')}` : ''}`,
    });
  }
}

/** PVE answers task calls on the node that ran the task, named in the UPID. */
export function taskNode(upid: Upid): string {
  const p = parseUpid(upid);
  if (!p) throw new ProviderError({ kind: 'api', provider: PROVIDER, message: `not a PVE task id: ${upid}` });
  return p.node;
}

export function apiBase(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  return /\/api2\/json$/.test(trimmed) ? trimmed : `${trimmed}/api2/json`;
}
