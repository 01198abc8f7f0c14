/**
 * VPCs as ferry's networks, firewall groups with their rules, block storage. Vultr names none of
 * them: a VPC's and a firewall group's description and a block's label carry ferry's name.
 */
import {
  pollUntil,
  ProviderError,
  UserError,
  type Firewall,
  type Network,
  type OperationOptions,
  type ProviderTimeouts,
  type Volume,
  type VolumeRequest,
} from '../../core/index.js';
import type { VultrClient } from './client.js';
import { isVultrId } from './machines.js';
import type { VuBlock, VuFirewallGroup, VuFirewallRuleRequest, VuVpc } from './schema.js';

export interface InfraContext {
  client: VultrClient;
  timeouts: ProviderTimeouts;
  /** Where new VPCs are made (a VPC belongs to one region). */
  vpcRegion: string;
}

export const DEFAULT_VPC_REGION = 'ewr';

// networks

const toNetwork = (v: VuVpc): Network => ({
  id: v.id,
  name: v.description ?? '',
  ipRange: v.v4_subnet ? `${v.v4_subnet}/${v.v4_subnet_mask ?? 20}` : null,
});

export async function getNetworkByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Network | null> {
  const found = (await c.client.listVpcs(o)).find((v) => v.description === name);
  return found ? toNetwork(found) : null;
}

export async function findOrCreateNetwork(c: InfraContext, name: string, o?: OperationOptions): Promise<Network> {
  return (await getNetworkByName(c, name, o)) ?? toNetwork(await c.client.createVpc({ region: c.vpcRegion, description: name }, o));
}

// firewalls

/** Inbound SSH from anywhere, over IPv4 and IPv6. */
export const SSH_RULES: readonly VuFirewallRuleRequest[] = [
  { ip_type: 'v4', protocol: 'tcp', subnet: '0.0.0.0', subnet_size: 0, port: '22', notes: 'ssh (ferry)' },
  { ip_type: 'v6', protocol: 'tcp', subnet: '::', subnet_size: 0, port: '22', notes: 'ssh (ferry)' },
];

const toFirewall = (g: VuFirewallGroup): Firewall => ({ id: g.id, name: g.description ?? '' });

export async function getFirewallByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Firewall | null> {
  const found = (await c.client.listFirewallGroups(o)).find((g) => g.description === name);
  return found ? toFirewall(found) : null;
}

/** A group left without rules (its rules failed after it was made) gets them on the next call. */
export async function findOrCreateFirewall(c: InfraContext, name: string, o?: OperationOptions): Promise<Firewall> {
  const existing = (await c.client.listFirewallGroups(o)).find((g) => g.description === name);
  const group = existing ?? (await c.client.createFirewallGroup(name, o));
  if (!existing || existing.rule_count === 0) for (const rule of SSH_RULES) await c.client.addFirewallRule(group.id, rule, o);
  return toFirewall(group);
}

// volumes

function toVolume(b: VuBlock): Volume {
  return {
    id: b.id,
    name: b.label ?? '',
    sizeGb: typeof b.size_gb === 'number' ? b.size_gb : 0,
    region: b.region ?? '',
    status: b.status ?? 'unknown',
    instanceId: b.attached_to_instance || null,
    devicePath: null,
  };
}

async function waitBlock(c: InfraContext, id: string, what: string, done: (b: VuBlock) => boolean, o?: OperationOptions): Promise<VuBlock> {
  return pollUntil({
    provider: 'vultr',
    operation: `${what} of block ${id}`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const b = await c.client.getBlock(id, o);
      if (!b) throw new ProviderError({ kind: 'not_found', provider: 'vultr', subject: id, message: `vultr block ${id} not found` });
      return done(b) ? b : undefined;
    },
  });
}

export async function createVolume(c: InfraContext, req: VolumeRequest, o?: OperationOptions): Promise<Volume> {
  if (!Number.isInteger(req.sizeGb) || req.sizeGb < 10 || req.sizeGb > 40_000) {
    throw new UserError(`invalid volume size ${req.sizeGb} GB`, 'Vultr block storage is 10 to 40000 GB');
  }
  const made = await c.client.createBlock({ region: req.region, size_gb: req.sizeGb, label: req.name }, o);
  const ready = await waitBlock(c, made.id, 'creation', (b) => b.status === 'active', o);
  return req.instanceId ? attachVolume(c, ready.id, req.instanceId, o) : toVolume(ready);
}

export async function getVolume(c: InfraContext, id: string, o?: OperationOptions): Promise<Volume | null> {
  if (!isVultrId(id)) return null;
  const b = await c.client.getBlock(id, o);
  return b ? toVolume(b) : null;
}

export async function getVolumeByName(c: InfraContext, name: string, o?: OperationOptions): Promise<Volume | null> {
  const found = (await c.client.listBlocks(o)).find((b) => b.label === name);
  return found ? toVolume(found) : null;
}

export async function attachVolume(c: InfraContext, id: string, instanceId: string, o?: OperationOptions): Promise<Volume> {
  await c.client.attachBlock(id, instanceId, o);
  return toVolume(await waitBlock(c, id, 'attach', (b) => b.attached_to_instance === instanceId, o));
}

export async function detachVolume(c: InfraContext, id: string, o?: OperationOptions): Promise<Volume> {
  const b = await c.client.getBlock(id, o);
  if (!b) throw new ProviderError({ kind: 'not_found', provider: 'vultr', subject: id, message: `vultr block ${id} not found` });
  if (b.attached_to_instance) await c.client.detachBlock(id, o);
  return toVolume(await waitBlock(c, id, 'detach', (x) => !x.attached_to_instance, o));
}

/** Idempotent; an attached block is detached first (Vultr refuses to delete it otherwise). */
export async function deleteVolume(c: InfraContext, id: string, o?: OperationOptions): Promise<void> {
  if (!isVultrId(id)) return;
  const b = await c.client.getBlock(id, o);
  if (!b) return;
  if (b.attached_to_instance) await detachVolume(c, id, o);
  await c.client.deleteBlock(id, o);
}
