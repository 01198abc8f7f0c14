/**
 * Instance servers: the create sequence (server, cloud-init user data, private NIC, poweron) and the
 * delete sequence (NICs, data volumes detached, terminate, or delete a stopped server and its root
 * volume) so nothing billable is left behind.
 */
import { ferryLabels, pollUntil, ProviderError, sleep, type Instance, type InstanceRequest, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { ScalewayClient } from './client.js';
import { serverToInstance } from './mapping.js';
import type { ScwServer } from './schema.js';
import { labelsToTags } from './tags.js';

export interface InstanceContext {
  client: ScalewayClient;
  timeouts: ProviderTimeouts;
  projectId: string;
}

/** What preflight resolved for one create (by create id). */
export interface ResolvedCreate {
  zone: string;
  imageId: string;
  securityGroupId?: string;
  privateNetworkId?: string;
}

const notFound = (id: string, what: string) => new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: id, message: `server ${id} disappeared during ${what}` });

export async function createServer(c: InstanceContext, req: InstanceRequest & { createId: string }, r: ResolvedCreate, o?: OperationOptions): Promise<Instance> {
  const server = await c.client.createServer(
    r.zone,
    {
      name: req.name,
      commercial_type: req.size,
      image: r.imageId,
      project: c.projectId,
      tags: labelsToTags(ferryLabels(req)),
      dynamic_ip_required: true,
      ...(r.securityGroupId ? { security_group: r.securityGroupId } : {}),
    },
    o,
  );
  try {
    return await finishCreate(c, req, r, server, o);
  } catch (err) {
    // The server exists but is unfinished: remove it rather than leave a stopped half-server.
    const cleanup = await removeServer(c, r.zone, server.id, o).then(
      () => 'it was deleted again',
      (e: unknown) => `deleting it failed too (${(e as Error).message}); \`ferry gc\` finds it by its create id`,
    );
    throw new ProviderError({
      kind: ProviderError.is(err) && err.kind !== 'network' && err.kind !== 'timeout' ? err.kind : 'api',
      provider: 'scaleway',
      subject: ProviderError.is(err) ? err.subject : undefined,
      message: `server ${req.name} was created but ${(err as Error).message}; ${cleanup}`,
      cause: err,
    });
  }
}

/**
 * The steps after POST /servers, each safe to repeat: user data (a PUT-like PATCH), the private NIC
 * unless present, poweron unless started. Also finishes a create whose answer was lost: the server
 * found by its create id is still stopped with nothing attached.
 */
export async function finishCreate(c: InstanceContext, req: InstanceRequest, r: ResolvedCreate, server: ScwServer, o?: OperationOptions): Promise<Instance> {
  if (server.state !== 'stopped') return serverToInstance(server);
  const step = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (err) {
      if (ProviderError.is(err)) {
        throw new ProviderError({ kind: err.kind, provider: 'scaleway', status: err.status, subject: err.subject, message: `${what} failed: ${err.message}`, cause: err });
      }
      throw err;
    }
  };
  if (req.userData) await step('setting cloud-init user data', () => c.client.setUserData(r.zone, server.id, 'cloud-init', req.userData!, o));
  if (r.privateNetworkId && !(server.private_nics ?? []).some((n) => n.private_network_id === r.privateNetworkId)) {
    await step('attaching the private network', () => c.client.createPrivateNic(r.zone, server.id, r.privateNetworkId!, o));
  }
  o?.onProgress?.({ phase: 'boot', message: `${req.name}: powering on` });
  await step('powering on', () => powerOn(c, r.zone, server.id, o));
  return serverToInstance((await c.client.getServer(r.zone, server.id, o)) ?? server);
}

/**
 * Poweron, re-sent after a transient failure (a 429, a 5xx, a broken connection) once the server
 * reads as still stopped: a second poweron of a server already starting would be refused.
 */
async function powerOn(c: InstanceContext, zone: string, id: string, o?: OperationOptions): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await c.client.serverAction(zone, id, { action: 'poweron' }, o);
      return;
    } catch (err) {
      if (!ProviderError.is(err) || !err.retryable || attempt >= 4) throw err;
      await sleep(err.retryAfterMs ?? c.timeouts.pollIntervalMs, o?.signal);
      const now = await c.client.getServer(zone, id, o);
      if (!now) throw notFound(id, 'poweron');
      if (now.state !== 'stopped') return;
    }
  }
}

async function waitFor(c: InstanceContext, zone: string, id: string, what: string, done: (s: ScwServer | null) => boolean, o?: OperationOptions): Promise<ScwServer | null> {
  return (
    await pollUntil({
      provider: 'scaleway',
      operation: what,
      timeoutMs: c.timeouts.actionCompleteMs,
      intervalMs: c.timeouts.pollIntervalMs,
      signal: o?.signal,
      check: async () => {
        const s = await c.client.getServer(zone, id, o);
        return done(s) ? { s } : undefined;
      },
    })
  ).s;
}

/** Waits out starting/stopping, then returns the server as it settled (null when gone). */
export function settled(c: InstanceContext, zone: string, id: string, o?: OperationOptions): Promise<ScwServer | null> {
  return waitFor(c, zone, id, `waiting for server ${id} to settle`, (s) => !s || (s.state !== 'starting' && s.state !== 'stopping'), o);
}

/**
 * Idempotent delete. NICs go first (seed 001), data volumes are detached so they survive; a running
 * server is terminated (which removes it with its root volume and dynamic IP); a stopped one is
 * deleted and its root volume removed, since DELETE alone leaves volumes behind.
 */
export async function removeServer(c: InstanceContext, zone: string, id: string, o?: OperationOptions): Promise<void> {
  let s = await c.client.getServer(zone, id, o);
  if (!s) return;
  if (s.state === 'starting' || s.state === 'stopping') s = await settled(c, zone, id, o);
  if (!s) return;
  for (const nic of s.private_nics ?? (await c.client.listPrivateNics(zone, id, o))) await c.client.deletePrivateNic(zone, id, nic.id, o);
  const volumes = s.volumes ?? {};
  const root = volumes['0'];
  if (Object.keys(volumes).some((k) => k !== '0') && root) {
    await c.client.updateServer(zone, id, { volumes: { '0': { id: root.id, volume_type: root.volume_type ?? 'sbs_volume' } } }, o);
  }
  if (s.state === 'running') {
    o?.onProgress?.({ phase: 'destroy', message: `terminating server ${s.name}` });
    await c.client.serverAction(zone, id, { action: 'terminate' }, o);
    await waitFor(c, zone, id, `waiting for server ${id} to be terminated`, (x) => x === null, o);
    return;
  }
  await c.client.deleteServer(zone, id, o);
  if (root) {
    if (root.volume_type === 'l_ssd' || root.volume_type === 'b_ssd') await c.client.deleteIfExists(`/instance/v1/zones/${zone}/volumes/${root.id}`, o);
    else await c.client.deleteVolume(zone, root.id, o);
  }
}

export type PowerAction = 'poweron' | 'poweroff' | 'reboot';

/** A power action, waited for: poweron and reboot end running, poweroff ends stopped. */
export async function power(c: InstanceContext, zone: string, id: string, action: PowerAction, o?: OperationOptions): Promise<Instance> {
  const before = await c.client.getServer(zone, id, o);
  if (!before) throw notFound(`${zone}/${id}`, action);
  if (before.state === 'starting' || before.state === 'stopping') await settled(c, zone, id, o);
  const want = action === 'poweroff' ? 'stopped' : 'running';
  const current = await c.client.getServer(zone, id, o);
  if (!current) throw notFound(`${zone}/${id}`, action);
  if (!(current.state === want && action !== 'reboot')) await c.client.serverAction(zone, id, { action }, o);
  const after = await waitFor(c, zone, id, `waiting for server ${id} to be ${want}`, (s) => !s || s.state === want, o);
  if (!after) throw notFound(`${zone}/${id}`, action);
  return serverToInstance(after);
}
