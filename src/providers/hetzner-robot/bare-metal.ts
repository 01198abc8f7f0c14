/**
 * Bare-metal behaviour on Robot: an order (a transaction) is followed until Robot assigns a server
 * number and the server is ready with its address; then ferry writes its identity in the server
 * name, so it outlives Robot's 30-day transaction list. The iPXE reinstall is what Robot allows:
 * activate the rescue system (Robot returns its root password), hardware reset, then SSH into the
 * rescue system and kexec iPXE chainloading the user's URL (rescue-ssh.ts).
 */
import { checkIpxeUrl, pollUntil, ProviderError, waitThroughStages, type Instance, type IpxeService, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import { PROVIDER, type RobotClient } from './client.js';
import { decodeIdentity, encodeIdentity, isServerNumber, isTransactionId, toInstance } from './mapping.js';
import { chainloadCommand, runInRescue } from './rescue-ssh.js';
import type { RobotServer, RobotTransaction } from './schema.js';

export interface BareMetalContext {
  client: RobotClient;
  timeouts: ProviderTimeouts;
}

export interface OrderView {
  tx: RobotTransaction | null;
  server: RobotServer | null;
  instance: Instance;
}

/** The order and its server, or null when neither exists (or the server is cancelled: no longer ferry's to use). */
export async function readOrder(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<OrderView | null> {
  let tx: RobotTransaction | null = null;
  let serverNumber: number | null = null;
  if (isTransactionId(id)) {
    tx = (await ctx.client.getTransaction(id, false, o)) ?? (await ctx.client.getTransaction(id, true, o));
    if (!tx || tx.status === 'cancelled') return null;
    serverNumber = tx.server_number ?? null;
  } else if (isServerNumber(id)) {
    serverNumber = Number(id);
  } else {
    return null;
  }
  const server = serverNumber === null ? null : await ctx.client.getServer(serverNumber, o);
  if (serverNumber !== null && (!server || server.cancelled)) return null;
  return { tx, server, instance: toInstance(tx, server) };
}

function gone(id: string, what: string): ProviderError {
  return new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `hetzner-robot order/server ${id} not found${what}` });
}

/** Waits through the order (in process → server number → ready with an address), reporting each stage. */
export async function waitReady(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<Instance> {
  const v = await waitThroughStages({
    provider: PROVIDER,
    operation: `waiting for order ${id} to be delivered`,
    timeoutMs: ctx.timeouts.instanceReadyMs,
    intervalMs: ctx.timeouts.pollIntervalMs,
    o,
    read: async () => {
      const v = await readOrder(ctx, id, o);
      if (!v) throw gone(id, ' (or cancelled) while waiting for it');
      return v;
    },
    done: (v) => v.instance.status.state === 'active' && !!v.instance.ipv4,
    // The delivery itself ("server … ready") is news too: Robot reports nothing after it.
    reportLast: true,
    stage: (v) => {
      const phase = v.server ? 'provisioning' : 'ordered';
      const key = v.server ? `server ${v.server.server_number} ${v.server.status ?? '?'}` : `transaction ${v.tx?.status ?? '?'}`;
      return { key, phase, message: (after) => `${v.instance.name || id}: ${phase} (${key}, after ${after})` };
    },
  });
  return nameServer(ctx, v, o);
}

/** Waits until Robot assigned the order's server (null when the order or server is gone meanwhile). */
export async function waitForServerNumber(ctx: BareMetalContext, id: string, o?: OperationOptions): Promise<OrderView | null> {
  const v = await pollUntil({
    provider: PROVIDER,
    operation: `waiting for order ${id} to get its server`,
    timeoutMs: ctx.timeouts.instanceReadyMs,
    intervalMs: ctx.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const v = await readOrder(ctx, id, o);
      return !v ? { gone: true as const } : v.server?.server_number ? { v } : undefined;
    },
  });
  return v.v ?? null;
}

/** Writes the order's identity into the server name once (Robot has no tags). */
async function nameServer(ctx: BareMetalContext, v: OrderView, o?: OperationOptions): Promise<Instance> {
  const wanted = v.tx?.comment ? decodeIdentity(v.tx.comment) : null;
  if (!wanted || !wanted.labels['ferry-create-id'] || !v.server?.server_number) return v.instance;
  const text = encodeIdentity(wanted.name, wanted.labels);
  if (v.server.server_name === text) return v.instance;
  const server = await ctx.client.renameServer(v.server.server_number, text, o);
  return toInstance(v.tx, { ...v.server, ...server });
}

export function ipxeService(ctx: BareMetalContext): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      // The URL goes raw into a single-quoted shell command in the rescue system.
      checkIpxeUrl(ipxeUrl, 'iPXE', { chars: /['\s]/, named: 'quotes or spaces' });
      const v = await readOrder(ctx, id, o);
      if (!v) throw gone(id, '');
      const n = v.server?.server_number;
      if (!n || !v.server?.server_ip || v.instance.status.state !== 'active') {
        throw new ProviderError({ kind: 'conflict', provider: PROVIDER, subject: id, message: `hetzner-robot ${id} is not delivered and ready yet; reinstall waits for it` });
      }
      const name = v.instance.name || id;
      const { rescue, emulatedSsh } = await ctx.client.activateRescue(n, o);
      if (!rescue.password) throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: id, message: 'Robot activated the rescue system but returned no root password' });
      o?.onProgress?.({ phase: 'rescue', message: `${name}: rescue system activated; hardware reset` });
      await ctx.client.reset(n, 'hw', o);
      const [host, port] = emulatedSsh ? [emulatedSsh.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(emulatedSsh)?.[1] ?? 22)] : [v.server.server_ip, 22];
      o?.onProgress?.({ phase: 'chainload', message: `${name}: waiting for the rescue system's SSH, then chainloading ${ipxeUrl}` });
      await runInRescue({ host, port, password: rescue.password }, chainloadCommand(ipxeUrl), Date.now() + ctx.timeouts.actionCompleteMs, o?.signal);
      o?.onProgress?.({ phase: 'reinstalling', message: `${name}: kexec into iPXE armed; the server boots ${ipxeUrl}` });
    },
  };
}
