/**
 * Firewalls (inbound SSH only), VPCs as ferry's networks (one subnet), block-storage volumes
 * attached and detached through their events. All are found by label, tagged as ferry's.
 */
import { pollUntil, ProviderError, UserError, type Firewall, type Network, type OperationOptions, type ProviderTimeouts, type Volume, type VolumeRequest } from '../../core/index.js';
import type { LinodeClient } from './client.js';
import { waitForEvent } from './events.js';
import { firewallFromWire, volumeFromWire, vpcToNetwork } from './mapping.js';
import type { LnVolume } from './schema.js';
import { MANAGED_TAG } from './tags.js';

export const SUBNET_IPV4 = '10.0.0.0/24';
export const DEFAULT_VPC_REGION = 'us-east';

export interface InfraContext {
  client: LinodeClient;
  timeouts: ProviderTimeouts;
  /** VPCs are regional: where ferry's networks are made. */
  vpcRegion: string;
}

export const isNumericId = (id: string) => /^[1-9]\d{0,15}$/.test(id);

// firewalls

export async function getFirewallByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Firewall | null> {
  const found = (await c.client.listFirewalls({ label: name }, o)).find((f) => f.label === name && f.status !== 'deleted');
  return found ? firewallFromWire(found) : null;
}

export async function findOrCreateFirewall(c: InfraContext, name: string, o?: OperationOptions): Promise<Firewall> {
  if (!/^[a-zA-Z](?!.*(--|__|\.\.))[a-zA-Z0-9-_.]{2,31}$/.test(name)) {
    throw new UserError(`invalid linode firewall name "${name}"`, '3 to 32 letters, digits, "-", "_" or ".", starting with a letter');
  }
  const existing = await getFirewallByName(c, name, o);
  if (existing) return existing;
  const everywhere = { ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] };
  const created = await c.client.createFirewall(
    {
      label: name,
      tags: [MANAGED_TAG],
      rules: {
        inbound_policy: 'DROP',
        outbound_policy: 'ACCEPT',
        inbound: [{ label: 'ssh', protocol: 'TCP', ports: '22', action: 'ACCEPT', addresses: everywhere }],
        outbound: [],
      },
    },
    o,
  );
  return firewallFromWire(created);
}

// VPCs

export async function getNetworkByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Network | null> {
  const found = (await c.client.listVpcs({ label: name }, o)).find((v) => v.label === name);
  return found ? vpcToNetwork(found) : null;
}

export async function findOrCreateNetwork(c: InfraContext, name: string, o?: OperationOptions): Promise<Network> {
  if (!/^[a-zA-Z0-9](?!.*--)[a-zA-Z0-9-]{0,63}$/.test(name)) {
    throw new UserError(`invalid linode VPC name "${name}"`, '1 to 64 letters, digits and single hyphens');
  }
  const existing = await getNetworkByName(c, name, o);
  if (existing) return existing;
  const vpc = await c.client.createVpc({ label: name, region: c.vpcRegion, description: 'ferry network', subnets: [{ label: 'ferry', ipv4: SUBNET_IPV4 }] }, o);
  return vpcToNetwork(vpc);
}

// volumes

async function waitActive(c: InfraContext, v: LnVolume, o?: OperationOptions): Promise<LnVolume> {
  if (v.status === 'active') return v;
  return pollUntil({
    provider: 'linode',
    operation: `volume ${v.id} becoming active`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const now = await c.client.getVolume(String(v.id), o);
      if (!now) throw new ProviderError({ kind: 'api', provider: 'linode', subject: String(v.id), message: `volume ${v.id} disappeared while being created` });
      return now.status === 'active' ? now : undefined;
    },
  });
}

export async function createVolume(c: InfraContext, req: VolumeRequest, o?: OperationOptions): Promise<Volume> {
  if (!Number.isInteger(req.sizeGb) || req.sizeGb < 10) throw new UserError(`invalid volume size ${req.sizeGb} GB`, 'Linode volumes are 10 GB or more');
  const created = await c.client.createVolume({ label: req.name, size: req.sizeGb, region: req.region, tags: [MANAGED_TAG] }, o);
  const active = await waitActive(c, created, o);
  return req.instanceId ? attachVolume(c, String(active.id), req.instanceId, o) : volumeFromWire(active);
}

export async function getVolume(c: InfraContext, id: string, o?: OperationOptions): Promise<Volume | null> {
  if (!isNumericId(id)) return null;
  const v = await c.client.getVolume(id, o);
  return v ? volumeFromWire(v) : null;
}

export async function getVolumeByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Volume | null> {
  const found = (await c.client.listVolumes({ label: name }, o)).find((v) => v.label === name);
  return found ? volumeFromWire(found) : null;
}

async function reread(c: InfraContext, id: string, o?: OperationOptions): Promise<Volume> {
  const v = await c.client.getVolume(id, o);
  if (!v) throw new ProviderError({ kind: 'not_found', provider: 'linode', subject: id, message: `volume ${id} not found` });
  return volumeFromWire(v);
}

export async function attachVolume(c: InfraContext, volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume> {
  if (!isNumericId(volumeId) || !isNumericId(instanceId)) {
    throw new ProviderError({ kind: 'not_found', provider: 'linode', subject: volumeId, message: `volume ${volumeId} or linode ${instanceId} not found` });
  }
  await c.client.attachVolume(volumeId, Number(instanceId), o);
  await waitForEvent(c.client, { entityType: 'volume', entityId: Number(volumeId), action: 'volume_attach' }, c.timeouts, o);
  return reread(c, volumeId, o);
}

export async function detachVolume(c: InfraContext, volumeId: string, o?: OperationOptions): Promise<Volume> {
  if (!isNumericId(volumeId)) throw new ProviderError({ kind: 'not_found', provider: 'linode', subject: volumeId, message: `volume ${volumeId} not found` });
  const before = await reread(c, volumeId, o);
  if (before.instanceId === null) return before;
  await c.client.detachVolume(volumeId, o);
  await waitForEvent(c.client, { entityType: 'volume', entityId: Number(volumeId), action: 'volume_detach' }, c.timeouts, o);
  return reread(c, volumeId, o);
}
