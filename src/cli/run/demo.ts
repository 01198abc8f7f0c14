/**
 * `ferry demo` (what `npm start` runs): the emulator in-process, then the real commands
 * against it: offers, a deploy placed by constraints (the cheapest offer is made to report
 * no capacity, so the fallback to the next-cheapest shows), a fleet, ls, destroy, history, costs.
 * It runs with a private environment: temporary store, cache and config, emulator endpoints,
 * no real credentials, so it can never touch a real account.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { selectOffers } from '../../catalog/index.js';
import { FLEET_KEY, type ProviderDescriptor } from '../../core/index.js';
import { withDefaults } from '../../providers/registry.js';
import { createContext, type Context } from '../context.js';
import type { Args } from '../define.js';
import { emulatorEnv } from '../emulator-env.js';
import { gatherOffers } from '../offers-source.js';

/** The demo places across every cloud driver with a price list: the registry's, not a list of names. */
const CLOUDS: ProviderDescriptor[] = withDefaults()
  .descriptors()
  .filter((d) => d.load && !d.retired && d.kind === 'cloud' && d.prices && 'bundled' in d.prices);
const PROVIDERS = CLOUDS.map((d) => d.name);
const TITLES = CLOUDS.map((d) => d.title).join(', ');
const WANT = { minCpu: 2, minMemory: 4 };
const NAME = 'demo-web';
const FLEET = 'demo-fleet';
const FLEET_SIZE = 10;

/** Only what a subprocess-free run needs from the real environment; never credentials. */
function demoEnv(ctx: Context, dir: string, emu: { urls: Record<string, string>; credentials: Record<string, Record<string, string>> }, scale: number, keepState: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_DATA_HOME: join(dir, 'data'),
    FERRY_TIME_SCALE: String(scale),
    ...emulatorEnv(emu, withDefaults(), PROVIDERS),
  };
  for (const k of ['PATH', 'TERM', 'FERRY_DEBUG', 'FERRY_POLL_INTERVAL_MS']) if (ctx.env[k]) env[k] = ctx.env[k];
  // Kept state lives apart from the real store: emulated servers never mix with real ones.
  if (keepState) env.FERRY_DATABASE_URL = join(demoStateDir(ctx), 'ferry.db');
  return env;
}

/** Where `demo --keep-state` keeps its store: $XDG_DATA_HOME/ferry/demo, never the real store. */
export function demoStateDir(ctx: Context): string {
  const xdg = ctx.env.XDG_DATA_HOME;
  const data = xdg && isAbsolute(xdg) ? xdg : join(ctx.env.HOME || homedir(), '.local', 'share');
  return join(data, 'ferry', 'demo');
}

function step(ctx: Context, n: number, title: string, command: string): void {
  ctx.stdout.write(`\n── ${n}. ${title}\n   $ ${command}\n\n`);
}

/** The cheapest matching offer on a throwaway emulator: the demo makes it report no capacity. */
async function cheapestOffer(ctx: Context, scale: number): Promise<string | undefined> {
  const { startEmulator } = await import('../../emulator/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'ferry-demo-probe-'));
  const emu = await startEmulator({ providers: PROVIDERS, timeScale: scale });
  const probe = createContext({ env: demoEnv(ctx, dir, emu, scale, false), stdout: ctx.stdout, stderr: ctx.stderr, interactive: false });
  try {
    const { offers } = await gatherOffers(probe, { providers: PROVIDERS, onlyConfigured: true });
    // Placement picks x86 unless told, so the offer to fault is the cheapest x86 one.
    const [first] = selectOffers(offers, { minCpu: WANT.minCpu, minMemoryGb: WANT.minMemory, arch: 'x86' });
    return first ? `capacity=${first.provider}:${first.region}:${first.plan}` : undefined;
  } catch {
    return undefined;
  } finally {
    await probe.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const scale = typeof args.timeScale === 'number' && args.timeScale > 0 ? args.timeScale : 200;
  const { startEmulator } = await import('../../emulator/index.js');
  const out = ctx.stdout;
  out.write(`ferry demo: everything below runs against ferry's BUILT-IN EMULATOR of the ${TITLES} APIs,\n`);
  out.write(`in this process, at ${scale}× speed. No account, no real servers, no money.\n`);

  const faults = typeof args.faults === 'string' ? args.faults : await cheapestOffer(ctx, scale);
  const emu = await startEmulator({ providers: PROVIDERS, timeScale: scale, ...(faults ? { faults } : {}) });
  // The store is stamped on the emulator's clock, so costs and history agree with the servers' own times.
  const epoch = Date.now();
  const started = performance.now();
  const now = () => new Date(epoch + (performance.now() - started) * scale);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-demo-'));
  if (args.keepState) mkdirSync(demoStateDir(ctx), { recursive: true, mode: 0o700 });
  const demo = createContext({ env: demoEnv(ctx, dir, emu, scale, Boolean(args.keepState)), stdout: ctx.stdout, stderr: ctx.stderr, interactive: false, now });
  out.write(`emulator: ${Object.entries(emu.urls).map(([p, u]) => `${p} ${u}`).join(', ')}\n`);
  if (faults) out.write(`fault injected: ${faults} (so you can watch placement move on)\n`);
  try {
    const filters = { minCpu: WANT.minCpu, minMemory: WANT.minMemory, provider: PROVIDERS };
    step(ctx, 1, 'Offers: live prices from every provider, cheapest first', `ferry offers --min-cpu ${WANT.minCpu} --min-memory ${WANT.minMemory} --limit 5`);
    await (await import('./offers.js')).run(demo, { ...filters, limit: 5 });

    step(ctx, 2, 'Deploy: placed on the cheapest offer that fits, journaled before it is sent, waited for', `ferry deploy --min-cpu ${WANT.minCpu} --min-memory ${WANT.minMemory} --name ${NAME}`);
    await (await import('./deploy.js')).run(demo, { ...filters, name: NAME, image: 'ubuntu-24.04', wait: true });

    step(ctx, 3, `Fleet: ${FLEET_SIZE} servers at once, batched where the API can, paced by its rate limits, waited for with a few listings`, `ferry deploy --count ${FLEET_SIZE} --min-cpu ${WANT.minCpu} --min-memory ${WANT.minMemory} --name ${FLEET}`);
    await (await import('./deploy.js')).run(demo, { ...filters, name: FLEET, image: 'ubuntu-24.04', wait: true, count: FLEET_SIZE });

    step(ctx, 4, 'List: what the providers report, merged with the inventory', 'ferry ls');
    await (await import('./ls.js')).run(demo, {});

    const fleet = (await (await demo.store()).inventory.list()).find((r) => r.name.startsWith(`${FLEET}-`))?.labels[FLEET_KEY];
    step(ctx, 5, 'Destroy: the server, then the fleet (one listing checks they are ferry\'s, one call removes them where the API can)', `ferry destroy ${NAME} --yes && ferry destroy --fleet ${fleet ?? '<id>'} --yes`);
    const destroy = await import('./destroy.js');
    await destroy.run(demo, { instances: [NAME], yes: true });
    if (fleet) await destroy.run(demo, { instances: [], fleet, yes: true });

    step(ctx, 6, 'History and costs (hours × price at launch, in emulated time)', 'ferry history && ferry costs');
    await (await import('./history.js')).run(demo, { limit: 10 });
    out.write('\n');
    await (await import('./costs.js')).run(demo, {});

    step(ctx, 7, 'Nothing left behind', 'ferry gc --dry-run');
    await (await import('./gc.js')).run(demo, { dryRun: true });
  } finally {
    await demo.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
  out.write(
    [
      '',
      `What just happened: ferry read live prices from the (emulated) ${TITLES} APIs,`,
      'picked the cheapest server with ≥2 vCPUs and ≥4 GB, moved to the next-cheapest when the first had no capacity,',
      'journaled the create before sending it (so a crash cannot leak a server), waited for it to boot,',
      `made a fleet of ${FLEET_SIZE} at once, listed them, destroyed them and kept the history and costs.`,
      'All of it ran on the built-in emulator.',
      '',
      `For real: export ${CLOUDS.map((d) => `${d.credentials.find((f) => f.secret)?.env ?? d.name}=…`).join(' and/or ')}`,
      '(or `ferry config set-credentials <provider>`),',
      'check with `ferry doctor`, then `ferry deploy --min-cpu 2 --min-memory 4`, `ferry ls`, `ferry destroy <name>`.',
      'To experiment safely: `ferry emulator` in another terminal, and point ferry at it as it prints.',
      ...(args.keepState ? [`The demo's state is kept apart from your real store, in ${demoStateDir(ctx)}: FERRY_DATABASE_URL=${join(demoStateDir(ctx), 'ferry.db')} ferry history reads it.`] : []),
      '',
    ].join('\n'),
  );
  return 0;
}
