/**
 * Opening drivers for the CLI: credentials and endpoint from the environment or the
 * credentials file, transport and timeouts tuned by FERRY_TIME_SCALE / FERRY_POLL_INTERVAL_MS
 * (for a time-scaled emulator), and errors a person can act on when something is missing.
 */
import { UserError, listChoices, timeoutsForScale, type Provider, type ProviderConfig, type ProviderDescriptor, type ProviderTimeouts } from '../core/index.js';
import type { Context } from './context.js';
import type { InventoryScope } from '../store/index.js';
import { missingCredentialsHint } from './credentials.js';
import { clockedFetch } from './provider-clock.js';

/** The descriptor of a provider a person named; an unknown or unimplemented name is a usage error. */
export async function implementedDescriptor(ctx: Context, name: string): Promise<ProviderDescriptor> {
  const registry = await ctx.registry();
  if (!registry.registeredProviders().includes(name)) {
    throw new UserError(`unknown provider "${name}"`, `providers: ${listChoices(registry.implementedProviders())} (see \`ferry providers\`)`);
  }
  const d = registry.descriptor(name);
  if (d.retired) throw new UserError(`${d.title} was retired on ${d.retired.date}; ferry no longer drives it`, d.retired.alternatives);
  if (!d.load) {
    throw new UserError(`the ${d.title} driver is not implemented yet`, `implemented: ${registry.implementedProviders().join(', ')}`);
  }
  return d;
}

function positiveNumber(ctx: Context, name: string): number | undefined {
  const raw = ctx.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a positive number, got "${raw}"`);
  return n;
}

/** How many times faster than real time the emulator's clock runs (1 for real providers). */
export function timeScale(ctx: Context): number {
  return positiveNumber(ctx, 'FERRY_TIME_SCALE') ?? 1;
}

/** Timeouts scaled to the emulator's clock; explicit variables win. */
export function cliTimeouts(ctx: Context): Partial<ProviderTimeouts> {
  const scale = timeScale(ctx);
  const t: Partial<ProviderTimeouts> = {};
  const poll = positiveNumber(ctx, 'FERRY_POLL_INTERVAL_MS') ?? timeoutsForScale(scale).pollIntervalMs;
  if (poll !== undefined) t.pollIntervalMs = poll;
  const ready = positiveNumber(ctx, 'FERRY_READY_TIMEOUT_MS') ?? (scale > 1 ? Math.max(2_000, 300_000 / scale) : undefined);
  if (ready !== undefined) t.instanceReadyMs = ready;
  if (scale > 1) t.actionCompleteMs = Math.max(2_000, 600_000 / scale);
  return t;
}

export async function openProvider(ctx: Context, name: string): Promise<Provider> {
  const d = await implementedDescriptor(ctx, name);
  const creds = (await ctx.credentials()).resolve(name);
  if (creds.missing.length) {
    throw new UserError(`no ${d.title} credentials: ${creds.missing.map((f) => f.env).join(', ')} not set`, missingCredentialsHint(d, creds.missing));
  }
  const scale = timeScale(ctx);
  const config: ProviderConfig = {
    credentials: creds.values,
    timeouts: cliTimeouts(ctx),
    // A time-scaled emulator's clock runs ahead: its Date header dates the servers' ages (provider-clock.ts).
    http: scale > 1 ? { timeScale: scale, backoffMs: (n) => Math.min(8_000, 500 * 2 ** n) / scale, fetch: clockedFetch(ctx, name, scale) } : {},
  };
  if (creds.endpoint) config.endpoint = creds.endpoint;
  return (await ctx.registry()).create(name, config);
}

/**
 * The providers a command should talk to: the ones asked for (each must be usable), or every
 * configured one. None configured is a usage error that says how to get going.
 */
export async function targetProviders(ctx: Context, asked: readonly string[] | undefined, need = 'this command'): Promise<string[]> {
  if (asked && asked.length) {
    for (const p of asked) await implementedDescriptor(ctx, p);
    return [...new Set(asked)];
  }
  const configured = (await ctx.credentials()).configured();
  if (configured.length) return configured;
  const registry = await ctx.registry();
  const vars = registry
    .implementedProviders()
    .map((p) => registry.descriptor(p))
    .map((d) => `${d.name}: ${d.credentials.filter((f) => f.required).map((f) => f.env).join(' + ')}`)
    .join('; ');
  throw new UserError(
    `no provider has credentials configured, and ${need} needs one`,
    [
      `set the variables (${vars}) or run \`ferry config set-credentials <provider>\`;`,
      '      to try ferry without an account, run `ferry demo` (built-in emulator), or `ferry emulator` in another terminal',
      '      and point ferry at it, e.g. FERRY_HETZNER_ENDPOINT=<its hetzner URL> HCLOUD_TOKEN=anything',
    ].join('\n'),
  );
}

/**
 * The endpoint and non-secret account identity a provider is configured for now, stamped on
 * inventory rows: a store pointed at another endpoint or account never matches the first's rows.
 * Secrets never take part (a rotated token is the same account). null when it cannot be told.
 */
export async function scopeOf(ctx: Context, name: string): Promise<InventoryScope | null> {
  try {
    const registry = await ctx.registry();
    const d = registry.descriptor(name);
    const creds = (await ctx.credentials()).resolve(name);
    const endpoint = creds.endpoint ?? (d.endpointSetting ? creds.values[d.endpointSetting] : undefined) ?? d.defaultEndpoint;
    const ids = d.credentials.filter((f) => !f.secret && f.required && creds.values[f.key]).map((f) => `${f.key}=${creds.values[f.key]}`);
    return { endpoint: endpoint.replace(/\/+$/, ''), account: ids.length ? ids.join(',') : null };
  } catch {
    return null;
  }
}

