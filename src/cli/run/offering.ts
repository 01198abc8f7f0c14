/** `ferry offering add | ls | rm`: the provider's side of the market. */
import { UserError } from '../../core/errors.js';
import type { OfferingInput, PublicOffering } from '../../protocol/api.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { anonymousClient, apiUrl, call, signedClient } from '../market-client.js';
import { fileArg, jsonArg } from '../market-input.js';
import { printJson, printTable } from '../output.js';

function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UserError(`${flag} is required`, 'see `ferry offering add --help`');
  return value;
}

function readInput(args: Args): OfferingInput {
  const cores = required(args.cpuCores as number | undefined, '--cpu-cores');
  if (!Number.isInteger(cores) || cores < 1) throw new UserError('--cpu-cores must be a positive whole number');
  const price = required(args.price as number | undefined, '--price');
  if (price < 0) throw new UserError('--price cannot be negative');
  const input: OfferingInput = {
    name: required(args.name as string | undefined, '--name'),
    cpu_cores: cores,
    memory_amount: required(args.memory as string | undefined, '--memory'),
    storage_capacity: required(args.storage as string | undefined, '--storage'),
    monthly_price: price,
    currency: String(args.currency ?? 'USD').toUpperCase(),
  };
  if (args.autoAccept !== undefined) {
    const budget = args.autoAccept as number;
    if (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0) throw new UserError('--auto-accept needs a monthly budget (a number ≥ 0), e.g. --auto-accept 200');
    input.auto_accept = true;
    input.auto_accept_budget = budget;
  }
  if (typeof args.bandwidth === 'number') {
    if (!Number.isInteger(args.bandwidth) || args.bandwidth < 0) throw new UserError('--bandwidth must be a whole number of Mbit/s');
    input.bandwidth_mbps = args.bandwidth;
  }
  if (typeof args.provisioner === 'string') {
    if (!['proxmox', 'script', 'manual', 'cloud'].includes(args.provisioner)) {
      throw new UserError(`--provisioner must be proxmox, script, manual or cloud, got "${args.provisioner}"`);
    }
    input.provisioner_type = args.provisioner;
  }
  const config = jsonArg(args.provisionerConfig, '--provisioner-config');
  if (config) input.provisioner_config = config;
  const script = fileArg(args.postProvisionScript, '--post-provision-script');
  if (script) input.post_provision_script = script;
  return input;
}

const money = (o: PublicOffering): string => `${o.monthly_price} ${o.currency}/mo`;

export async function add(ctx: Context, args: Args): Promise<number> {
  const input = readInput(args);
  const { client, url } = signedClient(ctx, args);
  const offering = await call(url, () => client.addOffering(input));
  if (args.json) printJson(ctx, offering);
  else ctx.stdout.write(`offering ${offering.offering_id} published: ${offering.name}, ${offering.cpu_cores} vCPU, ${offering.memory_amount}, ${offering.storage_capacity}, ${money(offering)}\n`);
  return 0;
}

export async function list(ctx: Context, args: Args): Promise<number> {
  const url = apiUrl(ctx, args);
  let offerings: PublicOffering[];
  if (args.mine) {
    const { client } = signedClient(ctx, args);
    offerings = await call(url, () => client.listOwnOfferings());
  } else {
    const provider = typeof args.provider === 'string' ? args.provider.toLowerCase() : undefined;
    const client = anonymousClient(ctx, args);
    offerings = await call(url, () => client.listOfferings(provider));
  }
  if (args.json) {
    printJson(ctx, offerings);
    return 0;
  }
  printTable(
    ctx,
    ['id', 'name', 'vcpu', 'memory', 'storage', 'bandwidth', 'price', 'provisioner', 'provider'],
    offerings.map((o) => [
      o.offering_id,
      o.name,
      String(o.cpu_cores),
      o.memory_amount,
      o.storage_capacity,
      o.bandwidth_mbps === null ? '-' : `${o.bandwidth_mbps} Mbit/s`,
      money(o),
      o.provisioner_type ?? '-',
      `${o.provider_pubkey.slice(0, 16)}…`,
    ]),
    '(no offerings)',
  );
  return 0;
}

export async function remove(ctx: Context, args: Args): Promise<number> {
  const { client, url } = signedClient(ctx, args);
  const id = String(args.offeringId);
  await call(url, () => client.removeOffering(id));
  ctx.stdout.write(`offering ${id} withdrawn\n`);
  return 0;
}
