/** `ferry deploy`: explicit or placed by constraints, journaled, waited for with progress. */
import { existsSync } from 'node:fs';
import { ProviderError, UserError, formatImageSpec, type Instance, type Offer } from '../../core/index.js';
import { describeOffer, formatPrice, type AttemptReport } from '../../catalog/index.js';
import { constraintsFrom } from '../constraints.js';
import type { Context } from '../context.js';
import { journaledCreate, waitAndRecord } from '../create.js';
import type { Args } from '../define.js';
import { WaitTimedOut } from '../errors.js';
import { rowOf } from '../instances.js';
import { onInterrupt } from '../interrupt.js';
import { imageLabel, note, printable, printJson, progress } from '../output.js';
import { CloudInitFailed } from '../../ssh/waits.js';
import { checkWaitFlags, EXIT_CLOUD_INIT_FAILED, expandHome, waitStage, waitUntilUsable } from './ssh-wait.js';
import { baseRequest, explicitTarget, type BaseRequest } from './deploy-request.js';
import { launchOffer, placeOn, priceOf } from './placement.js';

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
  constraintsFrom(args); // the placement flags are checked before anything is sent
  const stage = waitStage(args);
  if (typeof args.identity === 'string' && !existsSync(expandHome(args.identity))) throw new UserError(`-i/--identity ${args.identity}: no such file`, 'give the private key that matches the --ssh-key public key');
  checkWaitFlags(stage, args);
  if (count > 1) return (await import('./deploy-fleet.js')).run(ctx, args, count, stage);
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

async function explicit(ctx: Context, size: string, providers: string[] | undefined, regions: string[] | undefined, base: BaseRequest, track: { now: Progress }): Promise<Deployed> {
  const { providerName, region } = explicitTarget(providers, regions);
  const provider = await ctx.provider(providerName);
  const offer = await launchOffer(ctx, providerName, size, region);
  track.now = { phase: 'creating', name: base.name, provider: providerName };
  const instance = await journaledCreate(ctx, provider, { ...base, region, size }, priceOf(offer), { onProgress: (p) => note(ctx, `  ${p.message}`) });
  return { instance, offer, attempts: [] };
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

