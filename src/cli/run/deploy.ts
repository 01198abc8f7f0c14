/** `ferry deploy`: explicit or placed by constraints, journaled, waited for with progress. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { ProviderError, UserError, formatImageSpec, parseImageSpec, type Instance, type InstanceRequest, type Offer } from '../../core/index.js';
import { describeConstraints, describeOffer, formatPrice, place, type AttemptReport, type Placement } from '../../catalog/index.js';
import type { LaunchPrice } from '../../store/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import { journaledCreate, waitAndRecord } from '../create.js';
import type { Args } from '../define.js';
import { WaitTimedOut } from '../errors.js';
import { rowOf } from '../instances.js';
import { describeOrigins, describeUnpriced, gatherOffers } from '../offers-source.js';
import { onInterrupt } from '../interrupt.js';
import { activateRates } from '../rates.js';
import { targetProviders } from '../providers.js';
import { imageLabel, note, printable, printJson, progress } from '../output.js';
import { CloudInitFailed } from '../../ssh/waits.js';
import { checkWaitFlags, EXIT_CLOUD_INIT_FAILED, expandHome, waitStage, waitUntilUsable } from './ssh-wait.js';

export function generatedName(): string {
  return `ferry-${randomBytes(3).toString('hex')}`;
}

function readUserData(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read --user-data ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A value that can only be a path (a provider's key ids, names and fingerprints have no slash, no .pub). */
const looksLikePath = (k: string) => /[/\\]/.test(k) || k.startsWith('~') || k.startsWith('.') || k.endsWith('.pub');

/** A file path becomes the public key it holds; anything else is a provider key id or fingerprint. */
function sshKeys(list: unknown): string[] {
  return ((list as string[] | undefined) ?? []).map((k) => {
    const path = k.startsWith('~/') ? homedir() + k.slice(1) : k;
    if (!k.startsWith('ssh-') && !existsSync(path) && looksLikePath(k)) {
      throw new UserError(`--ssh-key ${k}: no such file`, 'give the path of a public key (e.g. ~/.ssh/id_ed25519.pub), or the id or fingerprint of a key the provider already has');
    }
    if (!k.startsWith('ssh-') && existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (!/^(ssh-|ecdsa-|sk-)/.test(text)) throw new UserError(`--ssh-key ${k} is not a public key file`, 'give the .pub file, not the private key');
      return text;
    }
    return k;
  });
}

function labels(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--label ${item} is not key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function priceOf(offer: Offer | undefined): LaunchPrice | null {
  return offer ? { priceHourly: offer.priceHourly, priceMonthly: offer.priceMonthly, currency: offer.currency } : null;
}

/** How far a deploy got, for what a Ctrl-C leaves behind. */
type Progress = { phase: 'placing' } | { phase: 'creating'; name: string; provider: string } | { phase: 'created'; instance: Instance; ready: boolean };

function leftBehind(p: Progress): string {
  if (p.phase === 'placing') return 'nothing was created';
  if (p.phase === 'creating') {
    return `the create of ${p.name} on ${p.provider} may have happened; \`ferry gc\` finds it by its create id and adopts it (then \`ferry destroy ${p.name}\` removes it)`;
  }
  const i = p.instance;
  const state = p.ready ? 'is up' : 'is still booting';
  return `${i.name} (${i.provider} ${i.id}) ${state} and is billed: \`ferry destroy ${i.name}\` removes it, \`ferry show ${i.name}\` shows its state`;
}

interface Deployed {
  instance: Instance;
  offer: Offer | undefined;
  attempts: AttemptReport[];
}

/** What every server of a deploy shares, from the flags (files read, keys resolved): bad input fails here. */
export function baseRequest(args: Args): BaseRequest {
  return {
    name: typeof args.name === 'string' ? args.name : generatedName(),
    image: parseImageSpec(String(args.image ?? 'ubuntu-24.04')),
    userData: readUserData(args.userData),
    sshKeys: sshKeys(args.sshKey),
    labels: labels(args.label),
  };
}

/** --count: how many servers; 1 is a plain deploy. */
const MAX_COUNT = 1000;
function countOf(args: Args): number {
  if (args.count === undefined) return 1;
  const n = args.count;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_COUNT) throw new UserError(`--count ${String(n)} is not a number of servers`, `give a whole number from 1 to ${MAX_COUNT}`);
  return n;
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const count = countOf(args);
  if (count > 1) return (await import('./deploy-fleet.js')).run(ctx, args, count);
  const constraints = constraintsFrom(args);
  const stage = waitStage(args);
  if (typeof args.identity === 'string' && !existsSync(expandHome(args.identity))) throw new UserError(`-i/--identity ${args.identity}: no such file`, 'give the private key that matches the --ssh-key public key');
  checkWaitFlags(stage, args);
  const base = baseRequest(args);
  const track: { now: Progress } = { now: { phase: 'placing' } };
  const uninstall = onInterrupt(ctx, () => leftBehind(track.now));
  try {
    return await deploy(ctx, args, base, stage, track);
  } catch (err) {
    // The server exists: a --wait that timed out is not a failed deploy, and scripts tell it apart.
    if (track.now.phase !== 'created' || !ProviderError.is(err, 'timeout')) throw err;
    throw new WaitTimedOut(`${err.provider ? `${err.provider}: ` : ''}${err.message} (--wait ${stage || 'ready'} timed out)`, leftBehind(track.now));
  } finally {
    uninstall();
  }
}

async function deploy(ctx: Context, args: Args, base: BaseRequest, stage: ReturnType<typeof waitStage>, track: { now: Progress }): Promise<number> {
  const constraints = constraintsFrom(args);
  const deployed = typeof args.size === 'string' ? await explicit(ctx, args.size, constraints.providers, constraints.regions, base, track) : await placed(ctx, args, base, track);
  let instance = deployed.instance;
  track.now = { phase: 'created', instance, ready: false };
  const rootPassword = instance.initialRootPassword;
  const provider = await ctx.provider(instance.provider);
  const price = deployed.offer ? ` at ${formatPrice(deployed.offer.priceHourly, deployed.offer.currency)}` : '';
  note(ctx, `created ${instance.name} (${instance.provider} ${instance.size} in ${instance.region}${price}), id ${instance.id}`);
  let cloudInitFailure: CloudInitFailed | undefined;
  if (stage !== false) {
    const line = progress(ctx, instance.name);
    line.update('waiting for it to boot');
    try {
      const prefix = `${instance.name}: `;
      instance = await waitAndRecord(ctx, provider, instance, (m) => line.update(m.startsWith(prefix) ? m.slice(prefix.length) : m));
      track.now = { phase: 'created', instance, ready: true };
    } finally {
      line.done(instance.ipv4 || instance.ipv6 ? `ready at ${instance.ipv4 ?? instance.ipv6}` : undefined);
    }
  }
  if (stage === 'ssh' || stage === 'cloud-init') {
    const line = progress(ctx, instance.name);
    let outcome = stage === 'ssh' ? 'answers SSH' : 'cloud-init done';
    try {
      await waitUntilUsable(ctx, provider, instance, { stage, args, ...(rootPassword ? { rootPassword } : {}), onProgress: (m) => line.update(m) });
    } catch (err) {
      if (!(err instanceof CloudInitFailed)) throw err;
      cloudInitFailure = err;
      outcome = 'cloud-init FAILED';
    } finally {
      line.done(outcome);
    }
  }
  if (cloudInitFailure) {
    ctx.stderr.write(`error: ${instance.name}: cloud-init reported "${cloudInitFailure.status}"; the server is up but its user data was not fully applied:\n${cloudInitFailure.output}\n`);
  }
  const exitCode = cloudInitFailure ? EXIT_CLOUD_INIT_FAILED : 0;
  if (args.json) {
    printJson(ctx, { ...rowOf(instance), ...(rootPassword ? { rootPassword } : {}), price: priceOf(deployed.offer), attempts: deployed.attempts.map((a) => ({ offer: describeOffer(a.offer), outcome: a.outcome, ...(a.error ? { error: a.error } : {}) })), ...(stage !== false && stage !== 'ready' ? { waited: stage } : {}), ...(cloudInitFailure ? { cloudInit: { status: cloudInitFailure.status, output: cloudInitFailure.output } } : {}) });
    return exitCode;
  }
  printInstance(ctx, instance, formatImageSpec(base.image));
  if (rootPassword) {
    ctx.stdout.write(`root pw   ${rootPassword}\n`);
    note(ctx, 'no SSH key was given, so the provider generated this root password: it is shown once and ferry does not store it');
  }
  note(ctx, loginHint(instance, Boolean(base.sshKeys?.length), Boolean(rootPassword)));
  if (stage === false) ctx.stdout.write(`not waiting for it to boot: \`ferry show ${instance.name}\` shows its state\n`);
  return exitCode;
}

/** How to log in to what was just deployed: the key given, else the password or the provider's console. */
function loginHint(i: Instance, withKey: boolean, withPassword: boolean): string {
  const ip = i.ipv4 ?? i.ipv6;
  if (withKey) return `log in: \`ferry ssh ${i.name}\` (with the private key of the --ssh-key you gave)`;
  const target = ip ? `\`ssh root@${ip}\`` : 'ssh as root once it has an address (`ferry show ' + i.name + '`)';
  if (withPassword) return `log in: ${target} with the root password above; next time give --ssh-key ~/.ssh/id_ed25519.pub to use \`ferry ssh ${i.name}\``;
  return `no SSH key was given: log in with the root password ${i.provider} sends you or sets in its console (${target}), or redeploy with --ssh-key ~/.ssh/id_ed25519.pub to use \`ferry ssh ${i.name}\``;
}

export function printInstance(ctx: Context, i: Instance, asked?: string): void {
  const r = rowOf(i);
  const lines: [string, string][] = [
    ['name', r.name],
    ['provider', r.provider],
    ['id', r.id],
    ['status', r.status],
    ['ip', r.ip ?? '-'],
    ['region', r.region],
    ['size', r.size],
    ['image', imageLabel(asked, i.image)],
    ['created', r.createdAt],
  ];
  for (const [k, v] of lines) ctx.stdout.write(`${k.padEnd(9)} ${printable(v)}\n`);
}

export type BaseRequest = Omit<InstanceRequest, 'region' | 'size'>;

/** --size's one --provider and one --region. */
export function explicitTarget(providers: string[] | undefined, regions: string[] | undefined): { providerName: string; region: string } {
  if (providers?.length !== 1 || regions?.length !== 1) {
    throw new UserError('--size needs exactly one --provider and one --region', 'or drop --size and let ferry place the server by --min-cpu/--min-memory/--budget');
  }
  return { providerName: providers[0]!, region: regions[0]! };
}

async function explicit(ctx: Context, size: string, providers: string[] | undefined, regions: string[] | undefined, base: BaseRequest, track: { now: Progress }): Promise<Deployed> {
  const { providerName, region } = explicitTarget(providers, regions);
  const provider = await ctx.provider(providerName);
  const offer = await launchOffer(ctx, providerName, size, region);
  track.now = { phase: 'creating', name: base.name, provider: providerName };
  const instance = await journaledCreate(ctx, provider, { ...base, region, size }, priceOf(offer), { onProgress: (p) => note(ctx, `  ${p.message}`) });
  return { instance, offer, attempts: [] };
}

/** The catalog's price for an explicit deploy; unknown prices only cost the costs report a line. */
export async function launchOffer(ctx: Context, provider: string, size: string, region: string): Promise<Offer | undefined> {
  try {
    const { offers } = await gatherOffers(ctx, { providers: [provider] });
    return offers.find((o) => o.plan === size && o.region === region);
  } catch {
    return undefined;
  }
}

async function placed(ctx: Context, args: Args, base: BaseRequest, track: { now: Progress }): Promise<Deployed> {
  const result = await placeOn(ctx, args, async (offer, signal) => {
    // Before the note: from the moment it is printed, a Ctrl-C reports the create as possibly sent.
    track.now = { phase: 'creating', name: base.name, provider: offer.provider };
    note(ctx, `trying ${describeOffer(offer)} …`);
    const provider = await ctx.provider(offer.provider);
    return journaledCreate(ctx, provider, { ...base, region: offer.region, size: offer.plan }, priceOf(offer), { onProgress: (p) => note(ctx, `  ${p.message}`), ...(signal ? { signal } : {}) });
  });
  return { instance: result.result, offer: result.offer, attempts: result.attempts };
}

/**
 * Placement by the offer filters: `attempt` on the cheapest offer that fits, then on the
 * next-cheapest after a capacity, quota or unavailable failure (remembered for every ferry process).
 */
export async function placeOn<T>(ctx: Context, args: Args, attempt: (offer: Offer, signal?: AbortSignal) => Promise<T>): Promise<Placement<T>> {
  const constraints = constraintsFrom(args);
  // Placement needs a provider to place on: none configured says how to get one (or the demo).
  const providers = await targetProviders(ctx, constraints.providers, '`ferry deploy`');
  await activateRates(ctx, undefined);
  const gathered = await gatherOffers(ctx, { providers, onlyConfigured: true });
  for (const w of gathered.warnings) note(ctx, `note: ${w}`);
  const unpriced = describeUnpriced(gathered.unpriced);
  if (unpriced) note(ctx, `note: ${unpriced}`);
  if (!gathered.offers.length) throw new UserError('no offers to place on', 'configure a provider with prices (see `ferry providers`)');
  note(ctx, `placing by ${describeConstraints(constraints)}; prices: ${describeOrigins(gathered.origins)}`);
  const registry = await ctx.registry();
  const store = await ctx.store();
  // Offers that failed for capacity or quota lately (in this process or another) are not tried again yet.
  const suppressed = await store.suppressions.active();
  for (const x of suppressed) note(ctx, `skipping ${x.provider} ${x.plan} in ${x.region}: ${x.kind} at ${x.recordedAt}, suppressed until ${x.until}`);
  return place(gathered.offers, constraints, attempt, {
    knownProviders: registry.registeredProviders(),
    suppressed,
    ...(typeof args.maxAttempts === 'number' ? { maxAttempts: args.maxAttempts } : {}),
    ...(typeof args.attemptTimeout === 'number' ? { attemptTimeoutMs: args.attemptTimeout * 1000 } : {}),
    onAttempt: async (a) => {
      if (a.outcome === 'capacity' || a.outcome === 'quota' || a.outcome === 'timeout') await store.suppressions.suppress(a.offer, a.outcome, a.error ?? a.outcome);
      if (a.outcome !== 'placed') note(ctx, `  ${a.outcome === 'failed' ? 'failed' : `no ${a.outcome === 'unavailable' ? 'such offer' : a.outcome}`}: ${a.error ?? ''}${a.outcome === 'failed' ? '' : ' → next-cheapest offer'}`);
    },
  });
}
