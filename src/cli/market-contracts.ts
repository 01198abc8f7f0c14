/** Contract helpers for the CLI: id prefixes, waiting for a status, and how a contract prints. */
import { setTimeout as delay } from 'node:timers/promises';
import { UserError } from '../core/errors.js';
import type { Contract, ContractStatus } from '../protocol/api.js';
import type { ControlPlaneClient } from '../protocol/client.js';
import type { Context } from './context.js';
import { WaitTimedOut } from './errors.js';
import { call } from './market-client.js';
import { progress } from './output.js';

export const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
export const short = (id: string): string => `${id.slice(0, 16)}…`;

/** A full contract id, or a unique prefix of one of the caller's contracts (as requester, then provider). */
export async function resolveContractId(client: ControlPlaneClient, url: string, given: string): Promise<string> {
  const id = given.trim().toLowerCase();
  if (/^[0-9a-f]{64}$/.test(id)) return id;
  if (!/^[0-9a-f]{4,63}$/.test(id)) throw new UserError(`"${given}" is not a contract id (64 hex characters, or a prefix of at least 4)`);
  const mine = [...(await call(url, () => client.listAllContracts('requester', 5000))), ...(await call(url, () => client.listAllContracts('provider', 5000)))];
  const matches = [...new Set(mine.map((c) => c.contract_id).filter((c) => c.startsWith(id)))];
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new UserError(`no contract of yours starts with ${id}`, 'list them with `ferry contract ls`');
  throw new UserError(`${id} matches ${matches.length} contracts`, 'give more characters');
}

/** Polls until the contract reaches one of `until`; progress on stderr. */
export async function waitFor(ctx: Context, client: ControlPlaneClient, url: string, id: string, until: readonly ContractStatus[], timeoutS: number): Promise<Contract> {
  const line = progress(ctx, `contract ${short(id)}`);
  const deadline = Date.now() + timeoutS * 1000;
  const pollMs = Number(ctx.env.FERRY_POLL_INTERVAL_MS) > 0 ? Number(ctx.env.FERRY_POLL_INTERVAL_MS) : 500;
  for (;;) {
    const c = await call(url, () => client.getContract(id));
    if (until.includes(c.status)) {
      line.done(c.status);
      return c;
    }
    line.update(c.status);
    if (Date.now() > deadline) {
      line.done();
      throw new WaitTimedOut(`contract ${id} is still ${c.status} after ${timeoutS} s (--wait timed out)`, 'follow it with `ferry contract show`');
    }
    await delay(pollMs);
  }
}

/** "key  value" lines for a contract and its instance. */
export function describeContract(c: Contract): string {
  const d = c.instance_details;
  const rows: [string, string | null | undefined][] = [
    ['contract', c.contract_id],
    ['status', c.status],
    ['offering', c.offering_id],
    ['provider', c.provider_pubkey],
    ['requester', c.requester_pubkey],
    ['ssh key', c.requester_ssh_pubkey],
    ['instance config', c.instance_config],
    ['instance', d?.external_id],
    ['ip', [d?.ip_address ?? d?.public_ip, d?.ipv6_address].filter(Boolean).join(' ') || null],
    ['ssh port', d?.ssh_port === undefined ? null : String(d.ssh_port)],
    ['credentials', c.has_credentials ? 'sealed to your key: `ferry contract credentials`' : null],
    ['error', c.error],
    ['created', time(c.created_at)],
    ['updated', time(c.updated_at)],
  ];
  return rows.filter(([, v]) => v).map(([k, v]) => `${k.padEnd(16)}${v}\n`).join('');
}
