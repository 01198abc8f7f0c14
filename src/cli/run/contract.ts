/** `ferry contract create | ls | show | cancel | credentials`: the requester's side of the market. */
import { ProviderError, UserError } from '../../core/errors.js';
import type { Contract, ContractStatus } from '../../protocol/api.js';
import { contractAad, openCredentials } from '../../protocol/sealed-credentials.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { EXIT } from '../errors.js';
import { call, signedClient } from '../market-client.js';
import { describeContract, resolveContractId, short, time, waitFor } from '../market-contracts.js';
import { jsonArg, sshKeyArg } from '../market-input.js';
import { printJson, printTable, writeSafe } from '../output.js';

const SETTLED: readonly ContractStatus[] = ['provisioned', 'failed', 'rejected', 'cancelled', 'terminated'];
const ENDED: readonly ContractStatus[] = ['terminated', 'cancelled', 'rejected'];
const NOT_STARTED: readonly ContractStatus[] = ['requested', 'pending_provisioning'];

const timeoutOf = (args: Args): number => (typeof args.timeout === 'number' && args.timeout > 0 ? args.timeout : 600);

function printContract(ctx: Context, args: Args, c: Contract): void {
  if (args.json) printJson(ctx, c);
  else writeSafe(ctx.stdout, describeContract(c));
}

export async function create(ctx: Context, args: Args): Promise<number> {
  const ssh = sshKeyArg(args.sshKey);
  const config = jsonArg(args.config, '--config');
  const { client, url } = signedClient(ctx, args);
  const offeringId = String(args.offeringId);
  let contract = await call(url, () => client.createContract({ offering_id: offeringId, requester_ssh_pubkey: ssh, ...(config ? { instance_config: config } : {}) }));
  if (!args.json) ctx.stderr.write(`contract ${contract.contract_id} ${contract.status}\n`);
  if (args.wait) contract = await waitFor(ctx, client, url, contract.contract_id, SETTLED, timeoutOf(args));
  printContract(ctx, args, contract);
  return args.wait && contract.status !== 'provisioned' ? EXIT.failure : EXIT.ok;
}

export async function list(ctx: Context, args: Args): Promise<number> {
  const as = args.as === undefined ? 'requester' : String(args.as);
  if (as !== 'requester' && as !== 'provider') throw new UserError(`--as must be requester or provider, got "${as}"`);
  const { client, url } = signedClient(ctx, args);
  const contracts = await call(url, () => client.listContracts(as));
  if (args.json) {
    printJson(ctx, contracts);
    return 0;
  }
  printTable(
    ctx,
    ['contract', 'status', 'offering', as === 'requester' ? 'provider' : 'requester', 'instance', 'created', 'updated'],
    contracts.map((c) => [
      short(c.contract_id),
      c.status,
      c.offering_id,
      short(as === 'requester' ? c.provider_pubkey : c.requester_pubkey),
      c.instance_details?.external_id ?? '-',
      time(c.created_at),
      time(c.updated_at),
    ]),
    as === 'requester' ? '(no contracts; `ferry offering ls` shows what you can rent)' : '(no contracts on your offerings)',
  );
  return 0;
}

export async function show(ctx: Context, args: Args): Promise<number> {
  const { client, url } = signedClient(ctx, args);
  const id = await resolveContractId(client, url, String(args.contractId));
  const c = await call(url, () => client.getContract(id));
  if (args.json) {
    printJson(ctx, c);
    return 0;
  }
  writeSafe(ctx.stdout, describeContract(c));
  ctx.stdout.write('\nhistory\n');
  printTable(ctx, ['when', 'from', 'to', 'actor', 'detail'], (c.history ?? []).map((h) => [time(h.at), h.from_status ?? '-', h.to_status, h.actor.length > 30 ? `${h.actor.slice(0, 29)}…` : h.actor, h.detail ?? '']));
  return 0;
}

/** Cancels a contract not started yet; anything running is terminated instead. */
async function end(client: ReturnType<typeof signedClient>['client'], c: Contract): Promise<Contract> {
  if (NOT_STARTED.includes(c.status)) {
    try {
      return await client.cancelContract(c.contract_id);
    } catch (err) {
      // An agent started it meanwhile: from here it has to be torn down.
      if (!ProviderError.is(err, 'conflict')) throw err;
    }
  }
  return client.terminateContract(c.contract_id);
}

export async function cancel(ctx: Context, args: Args): Promise<number> {
  const { client, url } = signedClient(ctx, args);
  const id = await resolveContractId(client, url, String(args.contractId));
  let c = await call(url, () => client.getContract(id));
  if (ENDED.includes(c.status)) throw new UserError(`contract ${id} is already ${c.status}`);
  if (c.status !== 'terminating') c = await call(url, () => end(client, c));
  if (!args.json) ctx.stderr.write(`contract ${id} ${c.status}\n`);
  if (args.wait) c = await waitFor(ctx, client, url, id, ENDED, timeoutOf(args));
  printContract(ctx, args, c);
  return 0;
}

/** The provider's answer to a requested contract. */
export async function respond(ctx: Context, args: Args): Promise<number> {
  if (Boolean(args.accept) === Boolean(args.reject)) throw new UserError('give exactly one of --accept or --reject');
  const { client, url } = signedClient(ctx, args);
  const id = await resolveContractId(client, url, String(args.contractId));
  const memo = typeof args.memo === 'string' ? args.memo : undefined;
  const c = await call(url, () => client.respond(id, { accept: Boolean(args.accept), ...(memo ? { memo } : {}) }));
  if (!args.json) ctx.stderr.write(`contract ${id} ${c.status}\n`);
  printContract(ctx, args, c);
  return 0;
}

export async function credentials(ctx: Context, args: Args): Promise<number> {
  const { client, url, key } = signedClient(ctx, args);
  const id = await resolveContractId(client, url, String(args.contractId));
  const c = await call(url, () => client.getContract(id));
  if (c.requester_pubkey !== key.publicKey) throw new UserError(`you are not the requester of contract ${id}`, 'only the requester\'s key can open its credentials');
  if (!c.has_credentials) {
    throw new UserError(`contract ${id} has no credentials (status ${c.status})`, c.status === 'provisioned' ? 'its provider reported none: log in with your SSH key' : 'they appear once it is provisioned');
  }
  const sealed = await call(url, () => client.getSealedCredentials(id));
  let password: string;
  try {
    password = openCredentials(sealed, key.secretKey, contractAad(id));
  } catch (err) {
    throw new UserError(`cannot open the credentials of ${id}: ${(err as Error).message}`, `they are sealed to the requester key; yours is ${key.path}`);
  }
  const d = c.instance_details;
  const ip = d?.ip_address ?? d?.public_ip ?? d?.ipv6_address ?? null;
  if (args.json) {
    printJson(ctx, { contract_id: id, root_password: password, external_id: d?.external_id ?? null, ip_address: ip, ssh_port: d?.ssh_port ?? 22 });
    return 0;
  }
  writeSafe(ctx.stdout, `root password   ${password}\n`);
  if (ip) writeSafe(ctx.stdout, `ssh             ssh -p ${d?.ssh_port ?? 22} root@${ip}\n`);
  return 0;
}
