/**
 * Checks a create against what the account can order, with reads only: zone, commercial type or
 * Elastic Metal offer, image or OS, SSH keys, and the configured security group and private network.
 * Anything wrong is a UserError naming the valid choices.
 */
import { listChoices, UserError, type InstanceRequest, type OperationOptions } from '../../core/index.js';
import type { ResolvedBaremetal } from './bare-metal.js';
import { checkZone, type ScalewayCatalog } from './catalog.js';
import type { ScalewayClient } from './client.js';
import { parseRegionalId, parseZonedId, regionOfZone } from './ids.js';
import type { ResolvedCreate } from './instances.js';
import { resolveSshKeys } from './ssh-keys.js';

export interface PreflightContext {
  client: ScalewayClient;
  catalog: ScalewayCatalog;
  projectId: string;
  settings: { privateNetwork?: string; securityGroup?: string };
}

/** Scaleway accepts up to 1 MB of user data per key. */
const USER_DATA_MAX = 1024 * 1024;

async function securityGroupId(c: PreflightContext, zone: string, ref: string, o?: OperationOptions): Promise<string> {
  const parsed = parseZonedId(ref);
  if (parsed && parsed.zone !== zone) throw new UserError(`security group ${ref} is in ${parsed.zone}, the server would be in ${zone}`);
  const groups = await c.client.listSecurityGroups(zone, { project: c.projectId }, o);
  const found = groups.find((g) => g.id === (parsed?.id ?? ref) || g.name === ref);
  if (!found) throw new UserError(`unknown security group "${ref}" in ${zone}`, `groups there: ${listChoices(groups.map((g) => g.name))}`);
  return found.id;
}

async function privateNetworkId(c: PreflightContext, zone: string, ref: string, o?: OperationOptions): Promise<string> {
  const region = regionOfZone(zone);
  const parsed = parseRegionalId(ref);
  if (parsed && parsed.region !== region) throw new UserError(`private network ${ref} is in ${parsed.region}, the server would be in ${region}`);
  const networks = await c.client.listPrivateNetworks(region, { project_id: c.projectId }, o);
  const found = networks.find((n) => n.id === (parsed?.id ?? ref) || n.name === ref);
  if (!found) throw new UserError(`unknown private network "${ref}" in ${region}`, `networks there: ${listChoices(networks.map((n) => n.name))}`);
  return found.id;
}

export async function preflightInstance(c: PreflightContext, req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<ResolvedCreate> {
  checkZone(req.region);
  if (req.userData && Buffer.byteLength(req.userData) > USER_DATA_MAX) throw new UserError('user data is larger than 1 MB', 'Scaleway accepts at most 1 MB of cloud-init user data');
  const type = await c.catalog.checkType(req.size, req.region, o);
  const imageId = await c.catalog.resolveImage(req.image, req.region, req.size, type, o);
  await resolveSshKeys(c.client, c.projectId, req.sshKeys ?? [], false, o);
  return {
    zone: req.region,
    imageId,
    ...(c.settings.securityGroup ? { securityGroupId: await securityGroupId(c, req.region, c.settings.securityGroup, o) } : {}),
    ...(c.settings.privateNetwork ? { privateNetworkId: await privateNetworkId(c, req.region, c.settings.privateNetwork, o) } : {}),
  };
}

/** An Elastic Metal install needs at least one SSH key: the given ones, else every key of the project. */
export async function preflightBaremetal(c: PreflightContext, req: InstanceRequest & { createId: string }, o?: OperationOptions): Promise<ResolvedBaremetal> {
  checkZone(req.region, true);
  const offer = await c.catalog.checkOffer(req.size, req.region, o);
  const os = await c.catalog.checkOs(req.image, req.region, o);
  if (req.userData) throw new UserError('Elastic Metal installs take no cloud-init user data through this API', 'drop --user-data for EM-… sizes, or use an Instance type');
  const given = await resolveSshKeys(c.client, c.projectId, req.sshKeys ?? [], false, o);
  const hasRaw = (req.sshKeys ?? []).length > given.length;
  const sshKeyIds = given.length || hasRaw ? given : (await c.client.listSshKeys(c.projectId, o)).map((k) => k.id);
  if (sshKeyIds.length === 0 && !hasRaw) {
    throw new UserError('an Elastic Metal install needs an SSH key and the project has none', 'pass --ssh-key "ssh-ed25519 AAAA…" (registered in the project)');
  }
  return { zone: req.region, offerId: offer.id, osId: os.id, sshKeyIds };
}
