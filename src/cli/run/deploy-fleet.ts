/**
 * `ferry deploy --count N`: N servers of one explicit spec, named <name>-1 … <name>-N, created
 * together (batch creates where the provider has them, paced by its rate limits) and waited for with
 * a few listings. Every create id is journaled before the first create is sent.
 */
import { FLEET_KEY, ProviderError, UserError } from '../../core/index.js';
import { formatPrice } from '../../catalog/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import { journaledFleet } from '../create.js';
import type { Args } from '../define.js';
import { EXIT, WaitTimedOut } from '../errors.js';
import { rowOf } from '../instances.js';
import { onInterrupt } from '../interrupt.js';
import { note, printable, printJson, printTable, progress } from '../output.js';
import { baseRequest, explicitTarget, launchOffer, priceOf } from './deploy.js';

export async function run(ctx: Context, args: Args, count: number): Promise<number> {
  const wait = args.wait !== false;
  if (wait && args.wait !== undefined && args.wait !== true && args.wait !== 'ready') {
    throw new UserError(`--count waits until the servers are ready, or not at all (--no-wait): --wait ${String(args.wait)} works with one server`, 'drop --wait, or deploy one server at a time');
  }
  if (typeof args.size !== 'string') {
    throw new UserError('--count needs --size with one --provider and one --region', 'placement by --min-cpu/--min-memory/--budget places one server at a time');
  }
  const size = args.size;
  const constraints = constraintsFrom(args);
  const { providerName, region } = explicitTarget(constraints.providers, constraints.regions);
  const base = baseRequest(args);
  const requests = Array.from({ length: count }, (_, i) => ({ ...base, name: `${base.name}-${i + 1}`, region, size }));
  const provider = await ctx.provider(providerName);
  const offer = await launchOffer(ctx, providerName, size, region);
  const label = `${base.name}-1 … ${base.name}-${count}`;
  const line = progress(ctx, label);
  const uninstall = onInterrupt(ctx, () => `the creates of ${label} on ${providerName} may have happened; \`ferry gc\` finds each by its create id and adopts it`);
  let res;
  let sent = false;
  const adopt = 'the servers that were made are billed: `ferry gc` adopts them into the inventory, then `ferry destroy --fleet` removes them';
  try {
    res = await journaledFleet(ctx, provider, requests, priceOf(offer), {
      wait,
      onProgress: (p) => {
        sent ||= p.phase === 'create';
        line.update(p.message);
      },
    });
  } catch (err) {
    if (ProviderError.is(err, 'timeout')) throw new WaitTimedOut(`${providerName}: ${err.message}`, adopt);
    if (sent) ctx.stderr.write(`note: creates were sent; ${adopt}\n`);
    throw err;
  } finally {
    line.done();
    uninstall();
  }
  const servers = wait ? res.ready : res.created;
  const fleet = servers[0]?.labels[FLEET_KEY];
  const failed = res.failed.map((f) => ({ name: f.request.name, error: f.error instanceof Error ? f.error.message : String(f.error) }));
  if (args.json) {
    printJson(ctx, { fleet: fleet ?? null, price: priceOf(offer), servers: servers.map(rowOf), failed });
  } else {
    const price = offer ? ` at ${formatPrice(offer.priceHourly, offer.currency)} each` : '';
    note(ctx, `${servers.length} of ${count} ${wait ? 'ready' : 'created, not waiting for them to boot'} (${providerName} ${size} in ${region}${price})${fleet ? `, fleet ${fleet}` : ''}`);
    printTable(ctx, ['name', 'id', 'ip', 'status'], servers.map((i) => [i.name, i.id, i.ipv4 ?? i.ipv6 ?? '-', i.status.state]));
    for (const f of failed) ctx.stderr.write(`error: ${f.name}: ${printable(f.error)}\n`);
    if (fleet) note(ctx, `\`ferry destroy --fleet ${fleet}\` removes them all`);
  }
  return failed.length ? EXIT.failure : 0;
}
