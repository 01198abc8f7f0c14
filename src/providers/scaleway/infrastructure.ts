/**
 * Seed 001's infrastructure on Scaleway: security groups as firewalls (zonal, in the default zone),
 * VPC v2 private networks (regional, the default zone's region) and Block Storage volumes.
 */
import { ProviderError, UserError, type Firewall, type FirewallService, type Network, type NetworkService, type OperationOptions, type ProviderTimeouts, type Volume, type VolumeService } from '../../core/index.js';
import { checkZone } from './catalog.js';
import type { ScalewayClient } from './client.js';
import { parseRegionalId, parseZonedId, regionOfZone, requireZonedId } from './ids.js';
import { firewallFromWire, networkFromWire, volumeFromWire } from './mapping.js';
import { MANAGED_TAG } from './tags.js';

export interface InfraContext {
  client: ScalewayClient;
  timeouts: ProviderTimeouts;
  projectId: string;
  zone: string;
}

/** Seed 001's SUBNET_CIDR: the one subnet of every private network ferry creates. */
export const SUBNET_CIDR = '10.0.1.0/24';
const GB = 1_000_000_000;
export const VOLUME_IOPS = 5000;

/** Find-or-create by exact name (Scaleway's name filters match substrings). */
async function findOrCreate<T>(find: () => Promise<T | null>, create: () => Promise<T>): Promise<T> {
  return (await find()) ?? create();
}

export function networkService(c: InfraContext): NetworkService {
  const region = regionOfZone(c.zone);
  const byName = async (name: string, o?: OperationOptions): Promise<Network | null> => {
    const hit = (await c.client.listPrivateNetworks(region, { name, project_id: c.projectId }, o)).find((n) => n.name === name);
    return hit ? networkFromWire(hit) : null;
  };
  return {
    getByName: byName,
    findOrCreate: (name, o) =>
      findOrCreate(
        () => byName(name, o),
        async () => networkFromWire(await c.client.createPrivateNetwork(region, { name, project_id: c.projectId, tags: [MANAGED_TAG], subnets: [SUBNET_CIDR] }, o)),
      ),
    /** The API refuses while resources are attached: say which, rather than an opaque precondition. */
    async delete(id, o) {
      const ref = parseRegionalId(id);
      if (!ref) return;
      try {
        await c.client.deletePrivateNetwork(ref.region, ref.id, o);
      } catch (err) {
        if (!ProviderError.is(err, 'conflict')) throw err;
        throw new ProviderError({ kind: 'conflict', provider: 'scaleway', subject: id, message: `private network ${id} still has resources attached (servers' private NICs); detach or delete them first`, cause: err });
      }
    },
  };
}

export function firewallService(c: InfraContext): FirewallService {
  const byName = async (name: string, o?: OperationOptions): Promise<Firewall | null> => {
    const hit = (await c.client.listSecurityGroups(c.zone, { name, project: c.projectId }, o)).find((g) => g.name === name);
    return hit ? firewallFromWire(hit, c.zone) : null;
  };
  return {
    getByName: byName,
    /** Stateful, inbound drop, outbound accept, and one rule: SSH from anywhere. */
    findOrCreate: (name, o) =>
      findOrCreate(
        () => byName(name, o),
        async () => {
          const g = await c.client.createSecurityGroup(
            c.zone,
            { name, description: 'managed by ferry', project: c.projectId, tags: [MANAGED_TAG], stateful: true, inbound_default_policy: 'drop', outbound_default_policy: 'accept' },
            o,
          );
          try {
            await c.client.createSecurityGroupRule(c.zone, g.id, { protocol: 'TCP', direction: 'inbound', action: 'accept', ip_range: '0.0.0.0/0', dest_port_from: 22, dest_port_to: 22 }, o);
          } catch (err) {
            await c.client.deleteSecurityGroup(c.zone, g.id, o).catch(() => undefined);
            throw err;
          }
          return firewallFromWire(g, c.zone);
        },
      ),
    async delete(id, o) {
      const ref = parseZonedId(id);
      if (ref?.api === 'instance') await c.client.deleteSecurityGroup(ref.zone, ref.id, o);
    },
  };
}

export function volumeService(c: InfraContext): VolumeService {
  const get = async (id: string, o?: OperationOptions): Promise<Volume | null> => {
    const ref = parseZonedId(id);
    if (!ref || ref.api !== 'instance') return null;
    const v = await c.client.getVolume(ref.zone, ref.id, o);
    return v ? volumeFromWire(v) : null;
  };
  const mustGet = async (id: string, o?: OperationOptions): Promise<Volume> => {
    const v = await get(id, o);
    if (!v) throw new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: id, message: `volume ${id} not found` });
    return v;
  };
  /**
   * Attach and detach PATCH the server's whole volume map: every volume kept is listed with its own
   * type (a local l_ssd root stays l_ssd); the Block volume added is sbs_volume.
   */
  const patchVolumes = async (serverId: string, change: (ids: string[]) => string[], o?: OperationOptions) => {
    const s = requireZonedId(serverId, 'server');
    const server = await c.client.getServer(s.zone, s.id, o);
    if (!server) throw new ProviderError({ kind: 'not_found', provider: 'scaleway', subject: serverId, message: `server ${serverId} not found` });
    const entries = Object.entries(server.volumes ?? {}).sort(([a], [b]) => Number(a) - Number(b));
    const typeOf = new Map(entries.map(([, v]) => [v.id, v.volume_type ?? 'sbs_volume']));
    const next = change(entries.map(([, v]) => v.id));
    const volumes = Object.fromEntries(next.map((id, i) => [String(i), { id, volume_type: typeOf.get(id) ?? 'sbs_volume' }]));
    await c.client.updateServer(s.zone, s.id, { volumes }, o);
  };
  return {
    get,
    async getByName(name, o) {
      const hit = (await c.client.listVolumes(c.zone, { name, project_id: c.projectId }, o)).find((v) => v.name === name);
      return hit ? volumeFromWire(hit) : null;
    },
    async create(req, o) {
      if (!Number.isInteger(req.sizeGb) || req.sizeGb < 1) throw new UserError(`volume size ${req.sizeGb} GB is not valid`, 'Scaleway block volumes are whole GB, 1 GB at least');
      const zone = req.region || c.zone;
      checkZone(zone);
      const tags = [MANAGED_TAG, ...Object.entries(req.labels ?? {}).map(([k, v]) => `${k}=${v}`)];
      const v = await c.client.createVolume(zone, { name: req.name, project_id: c.projectId, perf_iops: VOLUME_IOPS, from_empty: { size: req.sizeGb * GB }, tags }, o);
      const vol = volumeFromWire(v);
      return req.instanceId ? this.attach(vol.id, req.instanceId, o) : vol;
    },
    async attach(volumeId, instanceId, o) {
      const vol = await mustGet(volumeId, o);
      if (vol.instanceId === instanceId) return vol;
      if (vol.instanceId) throw new ProviderError({ kind: 'conflict', provider: 'scaleway', subject: volumeId, message: `volume ${volumeId} is attached to ${vol.instanceId}; detach it first` });
      const vid = parseZonedId(volumeId)!.id;
      await patchVolumes(instanceId, (ids) => [...ids, vid], o);
      return mustGet(volumeId, o);
    },
    async detach(volumeId, o) {
      const vol = await mustGet(volumeId, o);
      if (!vol.instanceId) return vol;
      const vid = parseZonedId(volumeId)!.id;
      await patchVolumes(vol.instanceId, (ids) => ids.filter((id) => id !== vid), o);
      return mustGet(volumeId, o);
    },
    /** Only a detached volume can be deleted: detach first; a missing one is success. */
    async delete(id, o) {
      const vol = await get(id, o);
      if (!vol) return;
      if (vol.instanceId) await this.detach(id, o);
      const ref = parseZonedId(id)!;
      await c.client.deleteVolume(ref.zone, ref.id, o);
    },
  };
}
