/**
 * `ferry deploy --count N`: N servers of one spec, named <name>-1 … <name>-N, created together
 * (batch creates where the provider has them, paced by its rate limits) and waited for with a few
 * listings. Explicit (--provider --region --size) or placed: the cheapest offer that fits, the
 * next-cheapest when that offer can make none of them. Every create id is journaled before the
 * first create is sent.
 */
import { FLEET_KEY, ProviderError, UserError, type FleetResult, type Offer } from '../../core/index.js';
import { describeOffer, formatPrice } from '../../catalog/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import { journaledFleet } from '../create.js';
import type { Args } from '../define.js';
import { EXIT, WaitTimedOut } from '../errors.js';
import { rowOf } from '../instances.js';
import { onInterrupt } from '../interrupt.js';
import { note, printable, printJson, printTable, progress } from '../output.js';
import { baseRequest, explicitTarget, type BaseRequest } from './deploy-request.js';
import { launchOffer, placeOn, priceOf } from './placement.js';

const ADOPT = 'the servers that were made are billed: `ferry gc` adopts them into the inventory, then `ferry destroy --fleet` removes them';

export async function run(ctx: Context, args: Args, count: number): Promise<number> {
  const wait = args.wait !== false;
  if (wait && args.wait !== undefined && args.wait !== true && args.wait !== 'ready') {
    throw new UserError(`--count waits until the servers are ready, or not at all (--no-wait): --wait ${String(args.wait)} works with one server`, 'drop --wait, or deploy one server at a time');
  }
  const base = baseRequest(args);
  let made: { res: FleetResult; offer: Offer | undefined; provider: string; size: string; region: string };
  if (typeof args.size === 'string') {
    const constraints = constraintsFrom(args);
    const { providerName, region } = explicitTarget(constraints.providers, constraints.regions);
    const offer = await launchOffer(ctx, providerName, args.size, region);
    made = { res: await fleetOn(ctx, base, count, providerName, region, args.size, offer, wait), offer, provider: providerName, size: args.size, region };
  } else {
    const placed = await placeOn(ctx, args, async (offer, signal) => {
      note(ctx, `trying ${describeOffer(offer)} for ${count} …`);
      const res = await fleetOn(ctx, base, count, offer.provider, offer.region, offer.plan, offer, wait, signal);
      // An offer that made none of them (capacity, quota) passes the fleet to the next-cheapest.
      if (!res.created.length && res.failed.length) throw res.failed[0]!.error;
      return res;
    });
    made = { res: placed.result, offer: placed.offer, provider: placed.offer.provider, size: placed.offer.plan, region: placed.offer.region };
  }
  const { res, offer } = made;
  const servers = wait ? res.ready : res.created;
  const fleet = servers[0]?.labels[FLEET_KEY];
  const failed = res.failed.map((f) => ({ name: f.request.name, error: f.error instanceof Error ? f.error.message : String(f.error) }));
  if (args.json) {
    printJson(ctx, { fleet: fleet ?? null, price: priceOf(offer), servers: servers.map(rowOf), failed });
  } else {
    const price = offer ? ` at ${formatPrice(offer.priceHourly, offer.currency)} each` : '';
    note(ctx, `${servers.length} of ${count} ${wait ? 'ready' : 'created, not waiting for them to boot'} (${made.provider} ${made.size} in ${made.region}${price})${fleet ? `, fleet ${fleet}` : ''}`);
    printTable(ctx, ['name', 'id', 'ip', 'status'], servers.map((i) => [i.name, i.id, i.ipv4 ?? i.ipv6 ?? '-', i.status.state]));
    for (const f of failed) ctx.stderr.write(`error: ${f.name}: ${printable(f.error)}\n`);
    if (fleet) note(ctx, `\`ferry destroy --fleet ${fleet}\` removes them all`);
  }
  return failed.length ? EXIT.failure : 0;
}

/** The fleet on one provider, region and size, with progress; what a Ctrl-C or a failure after the sends leaves is said. */
async function fleetOn(ctx: Context, base: BaseRequest, count: number, providerName: string, region: string, size: string, offer: Offer | undefined, wait: boolean, signal?: AbortSignal): Promise<FleetResult> {
  const requests = Array.from({ length: count }, (_, i) => ({ ...base, name: `${base.name}-${i + 1}`, region, size }));
  const provider = await ctx.provider(providerName);
  const label = `${base.name}-1 … ${base.name}-${count}`;
  const line = progress(ctx, label);
  const uninstall = onInterrupt(ctx, () => `the creates of ${label} on ${providerName} may have happened; \`ferry gc\` finds each by its create id and adopts it`);
  let sent = false;
  try {
    return await journaledFleet(ctx, provider, requests, priceOf(offer), {
      wait,
      ...(signal ? { signal } : {}),
      onProgress: (p) => {
        sent ||= p.phase === 'create';
        line.update(p.message);
      },
    });
  } catch (err) {
    if (ProviderError.is(err, 'timeout') && sent) throw new WaitTimedOut(`${providerName}: ${err.message}`, ADOPT);
    if (sent) ctx.stderr.write(`note: creates were sent; ${ADOPT}\n`);
    throw err;
  } finally {
    line.done();
    uninstall();
  }
}
