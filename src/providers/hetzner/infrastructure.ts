/** Seed 001's infrastructure on Hetzner Cloud: networks, firewalls, volumes. */
import {
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  ProviderError,
  UserError,
  type Firewall,
  type Network,
  type OperationOptions,
  type ProviderTimeouts,
  type Volume,
  type VolumeRequest,
} from '../../core/index.js';
import { waitForAction, waitForActions } from './actions.js';
import type { HetznerClient } from './client.js';
import { firewallFromWire, networkFromWire, volumeFromWire } from './mapping.js';
import type { HcFirewallRule } from './schema.js';

/** The private range of every network ferry creates, and its one cloud subnet (seed 001's SUBNET_CIDR). */
export const NETWORK_IP_RANGE = '10.0.0.0/16';
export const SUBNET_IP_RANGE = '10.0.1.0/24';
export const DEFAULT_NETWORK_ZONE = 'eu-central';

export const SSH_RULE: HcFirewallRule = {
  direction: 'in',
  protocol: 'tcp',
  port: '22',
  source_ips: ['0.0.0.0/0', '::/0'],
  description: 'SSH',
};

const managed = () => ({ [MANAGED_BY_KEY]: MANAGED_BY_VALUE });

export interface InfraContext {
  client: HetznerClient;
  timeouts: ProviderTimeouts;
  /** Network zone of new subnets (eu-central, us-east, us-west, ap-southeast). */
  networkZone: string;
}

/**
 * Find-or-create by name. Names are unique per project, so a create that loses a race (or whose
 * answer was lost) meets uniqueness_error and the second lookup finds the winner.
 */
async function findOrCreate<T>(find: () => Promise<T | null>, create: () => Promise<T>): Promise<T> {
  const existing = await find();
  if (existing) return existing;
  try {
    return await create();
  } catch (err) {
    if (!ProviderError.is(err, 'conflict')) throw err;
    const winner = await find();
    if (winner) return winner;
    throw err;
  }
}

// networks

export async function getNetworkByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Network | null> {
  const [n] = await c.client.listNetworks({ name }, o);
  return n ? networkFromWire(n) : null;
}

export function findOrCreateNetwork(c: InfraContext, name: string, o?: OperationOptions): Promise<Network> {
  return findOrCreate(
    () => getNetworkByName(c, name, o),
    async () =>
      networkFromWire(
        await c.client.createNetwork(
          {
            name,
            ip_range: NETWORK_IP_RANGE,
            subnets: [{ type: 'cloud', ip_range: SUBNET_IP_RANGE, network_zone: c.networkZone }],
            labels: managed(),
          },
          o,
        ),
      ),
  );
}

// firewalls

export async function getFirewallByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Firewall | null> {
  const [f] = await c.client.listFirewalls({ name }, o);
  return f ? firewallFromWire(f) : null;
}

/** Hetzner defines a firewall's rules at creation: the SSH rule goes in with it. */
export function findOrCreateFirewall(c: InfraContext, name: string, o?: OperationOptions): Promise<Firewall> {
  return findOrCreate(
    () => getFirewallByName(c, name, o),
    async () => {
      const { firewall, actions } = await c.client.createFirewall({ name, labels: managed(), rules: [SSH_RULE] }, o);
      await waitForActions(c.client, actions, c.timeouts, o);
      return firewallFromWire(firewall);
    },
  );
}

// volumes

export async function getVolume(c: InfraContext, id: string, o?: OperationOptions): Promise<Volume | null> {
  const v = await c.client.getVolume(id, o);
  return v ? volumeFromWire(v) : null;
}

export async function getVolumeByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Volume | null> {
  const [v] = await c.client.listVolumes({ name }, o);
  return v ? volumeFromWire(v) : null;
}

async function mustGetVolume(c: InfraContext, id: string, o?: OperationOptions): Promise<Volume> {
  const v = await getVolume(c, id, o);
  if (!v) throw new ProviderError({ kind: 'not_found', provider: 'hetzner', subject: `volume ${id}`, message: `volume ${id} not found` });
  return v;
}

function serverId(instanceId: string): number {
  const n = Number(instanceId);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UserError(`invalid hetzner server id "${instanceId}"`, 'server ids are positive integers');
  return n;
}

/**
 * Creates an ext4 volume, in the region, or attached to the instance right away (Hetzner then takes
 * the server's location). Waits for the create (and attach) actions.
 */
export async function createVolume(c: InfraContext, req: VolumeRequest, o?: OperationOptions): Promise<Volume> {
  if (!Number.isInteger(req.sizeGb) || req.sizeGb < 10) throw new UserError(`volume size ${req.sizeGb} GB is too small`, 'Hetzner volumes are 10 GB at least, in whole GB');
  const res = await c.client.createVolume(
    {
      name: req.name,
      size: req.sizeGb,
      ...(req.instanceId ? { server: serverId(req.instanceId), automount: false } : { location: req.region }),
      format: 'ext4',
      labels: { ...req.labels, ...managed() },
    },
    o,
  );
  await waitForActions(c.client, [res.action, ...(res.next_actions ?? [])], c.timeouts, o);
  return mustGetVolume(c, String(res.volume.id), o);
}

export async function attachVolume(c: InfraContext, volumeId: string, instanceId: string, o?: OperationOptions): Promise<Volume> {
  const current = await mustGetVolume(c, volumeId, o);
  if (current.instanceId === instanceId) return current;
  const action = await c.client.attachVolume(volumeId, serverId(instanceId), o);
  await waitForAction(c.client, action, c.timeouts, o);
  return mustGetVolume(c, volumeId, o);
}

/** Idempotent: a volume attached nowhere is returned as it is. */
export async function detachVolume(c: InfraContext, volumeId: string, o?: OperationOptions): Promise<Volume> {
  const current = await mustGetVolume(c, volumeId, o);
  if (!current.instanceId) return current;
  const action = await c.client.detachVolume(volumeId, o);
  await waitForAction(c.client, action, c.timeouts, o);
  return mustGetVolume(c, volumeId, o);
}

/** Detaches first (Hetzner refuses to delete an attached volume); a missing volume is success. */
export async function deleteVolume(c: InfraContext, id: string, o?: OperationOptions): Promise<void> {
  const current = await getVolume(c, id, o);
  if (!current) return;
  if (current.instanceId) await detachVolume(c, id, o);
  await c.client.deleteVolume(id, o);
}
