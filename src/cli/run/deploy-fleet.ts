/**
 * `ferry deploy --count N`: N servers of one spec, named <name>-1 … <name>-N, created together
 * (batch creates where the provider has them, paced by its rate limits) and waited for with a few
 * listings, then over SSH when asked (--wait ssh|cloud-init). Explicit (--provider --region --size)
 * or placed: the cheapest offer that fits, and what it cannot make for capacity or quota goes on to
 * the next-cheapest, all in one fleet. Every create id is journaled before the first create is sent.
 */
import { FLEET_KEY, mapLimit, newFleetId, ProviderError, waitFleetReady, type FleetResult, type Instance, type Offer } from '../../core/index.js';
import { describeOffer, formatPrice, saysOfferUnavailable } from '../../catalog/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import { journaledFleet, recordFleetReady } from '../create.js';
import type { Args } from '../define.js';
import { EXIT, WaitTimedOut } from '../errors.js';
import { byName, rowOf } from '../instances.js';
import { onInterrupt } from '../interrupt.js';
import { note, printable, printJson, printTable, progress } from '../output.js';
import type { WaitStage } from '../../ssh/index.js';
import { CloudInitFailed } from '../../ssh/waits.js';
import { baseRequest, explicitTarget, type BaseRequest } from './deploy-request.js';
import { launchOffer, placeOn, priceOf } from './placement.js';
import { EXIT_CLOUD_INIT_FAILED, waitUntilUsable } from './ssh-wait.js';

const ADOPT = 'the servers that were made are billed: `ferry gc` adopts them into the inventory, then `ferry destroy --fleet` removes them';
/** What a wait that ends early leaves: servers made and recorded. */
const kept = (fleet: string) => `the servers of fleet ${fleet} are made and in the inventory: \`ferry destroy --fleet ${fleet}\` removes them`;

/** One offer's share of the fleet. */
interface Part {
  provider: string;
  region: string;
  size: string;
  offer: Offer | undefined;
  created: Instance[];
  /** When its creates were all answered: the readiness wait dates their boots from it. */
  answeredAt: number;
}

type Failure = { name: string; error: string };

/** SSH (and cloud-init) waits at once: each holds a connection. */
const LOGINS_IN_FLIGHT = 16;

/** `stage` is checked by deploy's run, with its flags, before anything is sent. */
export async function run(ctx: Context, args: Args, count: number, stage: WaitStage | false): Promise<number> {
  const base = baseRequest(args);
  const fleet = newFleetId();
  const parts: Part[] = [];
  const failed: Failure[] = [];
  const failure = (name: string, error: unknown): Failure => ({ name, error: error instanceof Error ? error.message : String(error) });
  /** Creates `names` on one offer; failures that `moves` says another offer may not have go on the list. */
  const make = async (names: string[], target: Omit<Part, 'created' | 'answeredAt'>, moves: (err: unknown) => boolean, signal?: AbortSignal) => {
    const res = await createOn(ctx, base, names, target, fleet, signal);
    if (res.created.length) parts.push({ ...target, created: res.created, answeredAt: Date.now() });
    for (const f of res.failed) if (!moves(f.error)) failed.push(failure(f.request.name, f.error));
    return res;
  };
  const names = Array.from({ length: count }, (_, i) => `${base.name}-${i + 1}`);
  if (typeof args.size === 'string') {
    const constraints = constraintsFrom(args);
    const { providerName, region } = explicitTarget(constraints.providers, constraints.regions);
    const offer = await launchOffer(ctx, providerName, args.size, region);
    await make(names, { provider: providerName, region, size: args.size, offer }, () => false);
  } else {
    let rest = names;
    try {
      await placeOn(ctx, args, async (offer, signal) => {
        note(ctx, `trying ${describeOffer(offer)} for ${rest.length} …`);
        const moves = (err: unknown) => ProviderError.is(err, 'capacity') || ProviderError.is(err, 'quota') || saysOfferUnavailable(err, offer);
        const res = await make(rest, { provider: offer.provider, region: offer.region, size: offer.plan, offer }, moves, signal);
        const moving = res.failed.filter((f) => moves(f.error));
        // An offer that made none of them for another reason ends the placement with that error (each failure is listed already).
        if (!res.created.length && !moving.length && res.failed.length) {
          rest = [];
          throw res.failed[0]!.error;
        }
        // What this offer could not make for capacity or quota goes on to the next-cheapest.
        if (moving.length) {
          rest = moving.map((f) => f.request.name);
          throw moving[0]!.error;
        }
      });
    } catch (err) {
      if (!parts.length) throw err;
      // Some were made: they are kept and reported; the rest found no offer.
      for (const name of rest) failed.push(failure(name, err));
    }
  }
  const servers = (stage ? await waitParts(ctx, parts, fleet) : parts.flatMap((p) => p.created)).sort(byName);
  // A provider that generated root passwords (no --ssh-key) hands each back once, in its create's answer.
  const passwords = new Map<string, string>();
  for (const p of parts) for (const i of p.created) if (i.initialRootPassword) passwords.set(`${i.provider}/${i.id}`, i.initialRootPassword);
  const cloudInit = stage === 'ssh' || stage === 'cloud-init' ? await waitLogins(ctx, args, stage, servers, passwords, fleet) : [];
  report(ctx, args, { fleet, count, stage, parts, servers, failed, passwords, cloudInit });
  return failed.length ? EXIT.failure : cloudInit.length ? EXIT_CLOUD_INIT_FAILED : 0;
}

interface Report {
  fleet: string;
  count: number;
  stage: WaitStage | false;
  parts: Part[];
  servers: Instance[];
  failed: Failure[];
  /** Root passwords by provider/id, shown once and never stored. */
  passwords: Map<string, string>;
  cloudInit: { name: string; failure: CloudInitFailed }[];
}

function report(ctx: Context, args: Args, r: Report): void {
  const fleet = r.servers.length ? r.fleet : null;
  const passwordOf = (i: Instance) => r.passwords.get(`${i.provider}/${i.id}`);
  if (args.json) {
    const placements = r.parts.map((p) => ({ provider: p.provider, region: p.region, size: p.size, price: priceOf(p.offer), servers: p.created.length }));
    const servers = r.servers.map((i) => ({ ...rowOf(i), ...(passwordOf(i) ? { rootPassword: passwordOf(i) } : {}) }));
    const cloudInit = r.cloudInit.map((c) => ({ name: c.name, status: c.failure.status, output: c.failure.output }));
    printJson(ctx, { fleet, placements, servers, failed: r.failed, ...(r.stage && r.stage !== 'ready' ? { waited: r.stage } : {}), ...(cloudInit.length ? { cloudInitFailed: cloudInit } : {}) });
    return;
  }
  const state = !r.stage ? 'created, not waiting for them to boot' : r.stage === 'ready' ? 'ready' : r.stage === 'ssh' ? 'answer SSH' : 'past cloud-init';
  note(ctx, `${r.servers.length} of ${r.count} ${state}${fleet ? `, fleet ${fleet}` : ''}`);
  for (const p of r.parts) {
    const price = p.offer ? ` at ${formatPrice(p.offer.priceHourly, p.offer.currency)} each` : '';
    note(ctx, `  ${p.created.length} on ${p.provider} ${p.size} in ${p.region}${price}`);
  }
  const withPasswords = r.servers.some(passwordOf);
  printTable(
    ctx,
    ['name', 'id', 'ip', 'status', ...(withPasswords ? ['root pw'] : [])],
    r.servers.map((i) => [i.name, i.id, i.ipv4 ?? i.ipv6 ?? '-', i.status.state, ...(withPasswords ? [passwordOf(i) ?? '-'] : [])]),
  );
  if (withPasswords) note(ctx, 'no SSH key was given, so the provider generated these root passwords: they are shown once and ferry does not store them');
  for (const c of r.cloudInit) ctx.stderr.write(`error: ${c.name}: cloud-init reported "${c.failure.status}"; the server is up but its user data was not fully applied:\n${c.failure.output}\n`);
  for (const f of r.failed) ctx.stderr.write(`error: ${f.name}: ${printable(f.error)}\n`);
  if (fleet) note(ctx, `\`ferry destroy --fleet ${fleet}\` removes them all`);
}

/** The creates of `names` on one offer, journaled and recorded, without waiting for boots; what a Ctrl-C or a failure after the sends leaves is said. */
async function createOn(ctx: Context, base: BaseRequest, names: string[], target: Omit<Part, 'created' | 'answeredAt'>, fleetId: string, signal?: AbortSignal): Promise<FleetResult> {
  const requests = names.map((name) => ({ ...base, name, region: target.region, size: target.size }));
  const provider = await ctx.provider(target.provider);
  const label = names.length > 1 ? `${names[0]} … ${names[names.length - 1]}` : names[0]!;
  const line = progress(ctx, label);
  const uninstall = onInterrupt(ctx, () => `the creates of ${label} on ${target.provider} may have happened; \`ferry gc\` finds each by its create id and adopts it`);
  let sent = false;
  try {
    return await journaledFleet(ctx, provider, requests, priceOf(target.offer), {
      fleetId,
      ...(signal ? { signal } : {}),
      onProgress: (p) => {
        sent ||= p.phase === 'create';
        line.update(p.message);
      },
    });
  } catch (err) {
    if (sent) ctx.stderr.write(`note: creates were sent; ${ADOPT}\n`);
    throw err;
  } finally {
    line.done();
    uninstall();
  }
}

/**
 * Waits for SSH (and cloud-init) on every ready server, a few at a time; a cloud-init that reported
 * an error is collected (the server is up), a timeout ends the wait.
 */
async function waitLogins(ctx: Context, args: Args, stage: 'ssh' | 'cloud-init', servers: Instance[], passwords: Map<string, string>, fleet: string): Promise<Report['cloudInit']> {
  const line = progress(ctx, `fleet ${fleet}`);
  const uninstall = onInterrupt(ctx, () => kept(fleet));
  const failed: Report['cloudInit'] = [];
  let done = 0;
  try {
    await mapLimit(servers, LOGINS_IN_FLIGHT, async (i) => {
      const provider = await ctx.provider(i.provider);
      const rootPassword = passwords.get(`${i.provider}/${i.id}`);
      try {
        await waitUntilUsable(ctx, provider, i, { stage, args, ...(rootPassword ? { rootPassword } : {}), onProgress: () => undefined });
      } catch (err) {
        if (!(err instanceof CloudInitFailed)) throw err;
        failed.push({ name: i.name, failure: err });
      }
      line.update(`${++done}/${servers.length} ${stage === 'ssh' ? 'answer SSH' : 'past cloud-init'}`);
    });
  } catch (err) {
    if (ProviderError.is(err, 'timeout')) throw new WaitTimedOut(`${err.message} (--wait ${stage} timed out)`, kept(fleet));
    throw err;
  } finally {
    line.done();
    uninstall();
  }
  return failed;
}

/** Waits for every part's servers with the fleet's listings, each part on its own provider, and records them ready. */
async function waitParts(ctx: Context, parts: Part[], fleet: string): Promise<Instance[]> {
  const total = parts.reduce((n, p) => n + p.created.length, 0);
  const line = progress(ctx, `fleet ${fleet}`);
  const readyOf = new Map<Part, number>();
  const uninstall = onInterrupt(ctx, () => kept(fleet));
  try {
    const ready = await Promise.all(
      parts.map(async (part) => {
        const provider = await ctx.provider(part.provider);
        const sentAt = new Map(part.created.map((i) => [i.id, part.answeredAt]));
        const up = await waitFleetReady(provider, sentAt, {
          labels: { [FLEET_KEY]: fleet },
          regions: [part.region],
          onProgress: (p) => {
            readyOf.set(part, Math.round((p.fraction ?? 0) * part.created.length));
            line.update(`${[...readyOf.values()].reduce((a, b) => a + b, 0)}/${total} ready`);
          },
        });
        await recordFleetReady(ctx, provider, up);
        return up;
      }),
    );
    return ready.flat();
  } catch (err) {
    if (ProviderError.is(err, 'timeout')) throw new WaitTimedOut(`${err.message} (--wait ready timed out)`, kept(fleet));
    throw err;
  } finally {
    line.done();
    uninstall();
  }
}
