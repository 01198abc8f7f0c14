/**
 * What every command receives instead of reaching for globals: the environment, output
 * writers, the provider registry, credentials, the store and a clock. Everything costly is
 * loaded on first use, so commands that do not need it do not pay for it at start-up.
 */
import type { Provider, ProviderRegistry } from '../core/index.js';
import type { Store } from '../store/index.js';
import type { Credentials } from './credentials.js';
import { stderr, stdout, type Writer } from './stdio.js';

export type { Writer } from './stdio.js';

export interface Context {
  env: NodeJS.ProcessEnv;
  stdout: Writer;
  stderr: Writer;
  /** Whether a person can answer prompts (stdin is a terminal). */
  interactive: boolean;
  now(): Date;
  registry(): Promise<ProviderRegistry>;
  credentials(): Promise<Credentials>;
  /** A driver with its resolved credentials and endpoint; cached per name. */
  provider(name: string): Promise<Provider>;
  store(): Promise<Store>;
  /** Asks on the terminal; `secret` turns echo off. */
  prompt(question: string, o?: { secret?: boolean }): Promise<string>;
  /** Releases what was opened (the store). */
  close(): Promise<void>;
}

export interface ContextOptions {
  env?: NodeJS.ProcessEnv;
  stdout?: Writer;
  stderr?: Writer;
  interactive?: boolean;
  now?: () => Date;
}

export function createContext(o: ContextOptions = {}): Context {
  const env = o.env ?? process.env;
  let loaded: Promise<typeof import('./runtime.js')> | undefined;
  const runtime = () => (loaded ??= import('./runtime.js'));
  let registry: Promise<ProviderRegistry> | undefined;
  let credentials: Promise<Credentials> | undefined;
  let store: Promise<Store> | undefined;
  const providers = new Map<string, Promise<Provider>>();

  const ctx: Context = {
    env,
    stdout: o.stdout ?? stdout,
    stderr: o.stderr ?? stderr,
    // Read when asked: touching process.stdin sets up a stream most commands never use.
    get interactive() {
      return o.interactive ?? Boolean(process.stdin.isTTY);
    },
    now: o.now ?? (() => new Date()),
    registry: () => (registry ??= runtime().then((m) => m.withDefaults())),
    credentials: () => (credentials ??= runtime().then(async (m) => m.loadCredentials(env, await ctx.registry()))),
    provider(name) {
      let p = providers.get(name);
      if (!p) {
        p = runtime().then((m) => m.openProvider(ctx, name));
        providers.set(name, p);
        // A failed open (missing credentials) is not cached, so a later call can report it again.
        p.catch(() => providers.delete(name));
      }
      return p;
    },
    // An injected clock (the demo's emulated time) also stamps the store's rows, as does a time-scaled
    // emulator's (provider-clock.ts).
    store: () =>
      (store ??= runtime().then(async (m) => {
        const s = await m.openStore(undefined, { env, now: o.now ?? (() => m.recordsNow(ctx)) });
        // New rows record the endpoint and account they belong to (see scopeOf).
        s.inventory.scope = (name) => m.scopeOf(ctx, name);
        return s;
      })),
    prompt: (question, po) => import('./prompt.js').then((m) => m.ask(ctx, question, po?.secret ?? false)),
    async close() {
      if (providers.size) (await runtime()).saveReading(ctx);
      if (store) {
        const s = await store.catch(() => undefined);
        await s?.close();
        store = undefined;
      }
    },
  };
  return ctx;
}
