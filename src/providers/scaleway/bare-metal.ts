/**
 * Elastic Metal (baremetal v1): order an offer with an OS install (OS, SSH keys, hostname) in one
 * call, wait through delivering → ready and the install's to_install → installing → completed,
 * power through start/stop/reboot, delete. Follows scaleway.baremetal.v1.Api.yml.
 */
import { ferryLabels, pollUntil, ProviderError, type Instance, type InstanceRequest, type OperationOptions, type ProviderTimeouts } from '../../core/index.js';
import type { ScalewayClient } from './client.js';
import { baremetalToInstance } from './mapping.js';
import type { ScwBaremetalServer } from './schema.js';
import { labelsToTags } from './tags.js';

export interface BaremetalContext {
  client: ScalewayClient;
  timeouts: ProviderTimeouts;
  projectId: string;
}

export interface ResolvedBaremetal {
  zone: string;
  offerId: string;
  osId: string;
  sshKeyIds: string[];
}

const path = (zone: string, rest = '') => `/baremetal/v1/zones/${encodeURIComponent(zone)}/servers${rest}`;

export async function getBaremetal(c: BaremetalContext, zone: string, id: string, o?: OperationOptions): Promise<ScwBaremetalServer | null> {
  return c.client.getOrNull<ScwBaremetalServer>(path(zone, `/${encodeURIComponent(id)}`), o);
}

export function listBaremetal(c: BaremetalContext, zone: string, tags: string[], o?: OperationOptions): Promise<ScwBaremetalServer[]> {
  return c.client.listModern<ScwBaremetalServer>(path(zone), 'servers', { tags, project_id: c.projectId }, o);
}

export async function createBaremetal(c: BaremetalContext, req: InstanceRequest & { createId: string }, r: ResolvedBaremetal, o?: OperationOptions): Promise<Instance> {
  o?.onProgress?.({ phase: 'order', message: `${req.name}: ordering ${req.size} in ${r.zone}` });
  const res = await c.client.http.post<ScwBaremetalServer>(
    path(r.zone),
    {
      offer_id: r.offerId,
      project_id: c.projectId,
      name: req.name,
      description: `ferry ${req.createId}`,
      tags: labelsToTags(ferryLabels(req)),
      install: { os_id: r.osId, hostname: req.name, ssh_key_ids: r.sshKeyIds },
    },
    { signal: o?.signal },
  );
  return baremetalToInstance(res.body);
}

const STAGES: Record<string, string> = {
  delivering: 'the server is being delivered (racked, cabled, tested)',
  'ready/to_install': 'delivered; the installation is queued',
  'ready/installing': 'installing the operating system',
};

/** Until ready with its OS installed and an address; each stage is reported as it changes. */
export async function waitBaremetalReady(c: BaremetalContext, zone: string, id: string, timeoutMs: number, o?: OperationOptions): Promise<Instance> {
  let last = '';
  return pollUntil({
    provider: 'scaleway',
    operation: `waiting for Elastic Metal server ${zone}/${id} to be delivered and installed`,
    timeoutMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const s = await getBaremetal(c, zone, id, o);
      if (!s) throw new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: id, message: `Elastic Metal server ${zone}/${id} disappeared while waiting for it` });
      const inst = baremetalToInstance(s);
      if (inst.status.state === 'archive') throw new ProviderError({ kind: 'api', provider: 'scaleway', subject: id, message: `Elastic Metal server ${zone}/${id} ended up ${inst.status.raw}` });
      if (inst.status.state === 'active' && inst.ipv4) return inst;
      if (inst.status.raw !== last) {
        last = inst.status.raw;
        o?.onProgress?.({ phase: 'provision', message: `${s.name}: ${STAGES[last] ?? last}` });
      }
      return undefined;
    },
  });
}

/** Deletion is asynchronous (status deleting): waited for so the caller knows billing stopped. */
export async function deleteBaremetal(c: BaremetalContext, zone: string, id: string, o?: OperationOptions): Promise<void> {
  try {
    await c.client.http.delete(path(zone, `/${encodeURIComponent(id)}`), { signal: o?.signal });
  } catch (err) {
    if (ProviderError.is(err, 'not_found')) return;
    throw err;
  }
  o?.onProgress?.({ phase: 'destroy', message: `Elastic Metal server ${id}: deleting` });
  await pollUntil({
    provider: 'scaleway',
    operation: `waiting for Elastic Metal server ${id} to be deleted`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => ((await getBaremetal(c, zone, id, o)) === null ? true : undefined),
  });
}

/** start → ready, stop → stopped, reboot → ready; each waited for. */
export async function powerBaremetal(c: BaremetalContext, zone: string, id: string, action: 'start' | 'stop' | 'reboot', o?: OperationOptions): Promise<Instance> {
  const want = action === 'stop' ? 'stopped' : 'ready';
  const current = await getBaremetal(c, zone, id, o);
  if (!current) throw new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: id, message: `Elastic Metal server ${zone}/${id} not found` });
  if (!(current.status === want && action !== 'reboot')) {
    await c.client.http.post(path(zone, `/${encodeURIComponent(id)}/${action}`), action === 'stop' ? {} : { boot_type: 'normal' }, { signal: o?.signal });
  }
  const done = await pollUntil<ScwBaremetalServer>({
    provider: 'scaleway',
    operation: `waiting for Elastic Metal server ${id} to be ${want}`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const s = await getBaremetal(c, zone, id, o);
      if (!s) throw new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: id, message: `Elastic Metal server ${id} disappeared during ${action}` });
      o?.onProgress?.({ phase: 'power', message: `${s.name}: ${s.status}` });
      return s.status === want ? s : undefined;
    },
  });
  return baremetalToInstance(done);
}

/**
 * What the Elastic Metal v1 description offers for booting something of one's own: install takes an
 * os_id from /os (no iPXE OS, no script or URL field) and reboot/start take boot_type normal|rescue.
 */
export const NO_IPXE_REASON =
  'Scaleway documents no iPXE method: Elastic Metal v1 installs only an os_id from its /os catalog (no iPXE OS, no script or chain URL field) and boots normal or rescue; custom installs go through rescue mode or remote (BMC) access. Instance servers are virtual machines without iPXE boot';
