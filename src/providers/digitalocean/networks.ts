/**
 * Networks are VPCs (/v2/vpcs). A VPC lives in one region and the contract's
 * findOrCreateNetwork(name) names none, so new VPCs go to the region of the driver option
 * vpcRegion (DIGITALOCEAN_VPC_REGION); without it findOrCreate is a UserError naming the option.
 * VPC names are unique in the account, so lookups by name need no region.
 */
import { ProviderError, UserError, type Network, type OperationOptions } from '../../core/index.js';
import type { DoClient } from './client.js';
import { networkFromDo } from './mapping.js';
import { checkRegion } from './preflight.js';

export const VPC_REGION_OPTION = 'vpcRegion';
export const VPC_REGION_ENV = 'DIGITALOCEAN_VPC_REGION';

/** The spec's pattern for VPC names. */
const NAME_RE = /^[a-zA-Z0-9\-.]+$/;

export async function getNetworkByName(client: DoClient, name: string, o?: OperationOptions): Promise<Network | null> {
  const found = (await client.listVpcs(o)).find((v) => v.name === name);
  return found ? networkFromDo(found) : null;
}

/** Everything is checked before any request; a create that lost a race (409) finds the winner. */
export async function findOrCreateNetwork(client: DoClient, region: string | undefined, name: string, o?: OperationOptions): Promise<Network> {
  if (!NAME_RE.test(name)) throw new UserError(`invalid DigitalOcean VPC name "${name}"`, 'use letters, digits, "-" and "."');
  if (!region) {
    throw new UserError(
      'DigitalOcean VPCs are per region and no region for them is configured',
      `set the driver option ${VPC_REGION_OPTION} (environment ${VPC_REGION_ENV}), e.g. ${VPC_REGION_ENV}=fra1`,
    );
  }
  checkRegion({ regions: await client.listRegions(o) }, region);
  const existing = await getNetworkByName(client, name, o);
  if (existing) return existing;
  try {
    return networkFromDo(await client.createVpc({ name, region }, o));
  } catch (err) {
    if (!ProviderError.is(err, 'conflict')) throw err;
    const winner = await getNetworkByName(client, name, o);
    if (winner) return winner;
    throw err;
  }
}
