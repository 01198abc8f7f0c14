import { ProviderError, UserError } from './errors.js';
import type { Capabilities } from './capabilities.js';
import type { Fetch } from './fetch.js';
import type { Provider } from './provider.js';
import { resolveSettings, type SettingField } from './settings.js';
import { timeoutsForScale, type ProviderTimeouts } from './timeouts.js';

/** How the transport of a driver is set up; transport/ implements it. Everything is injectable for tests. */
export interface HttpSettings {
  /** The transport's node:http client unless given (the global fetch fits too). */
  fetch?: Fetch;
  /** Retries of retryable failures after the first attempt. */
  maxRetries?: number;
  /** Backoff before retry n (0-based); tests pass () => 0. */
  backoffMs?: (attempt: number) => number;
  /** Rate-limit budgets by account key, shared by every caller in the process unless a pool is given. */
  budgets?: Map<string, unknown>;
  /** Receives one redacted line per request. */
  log?: (line: string) => void;
  /**
   * How many times faster than real time the server's clock runs: only for a time-scaled
   * emulator, so waits the server asks for (Retry-After, rate-limit refill) shrink with it.
   */
  timeScale?: number;
}

export interface ProviderConfig {
  /** Values of the descriptor's setting fields, by key. */
  credentials: Record<string, string>;
  /** Base URL; the registry fills in FERRY_<PROVIDER>_ENDPOINT or the descriptor's default. */
  endpoint?: string;
  timeouts?: Partial<ProviderTimeouts>;
  http?: HttpSettings;
  /** Driver-specific options (e.g. Proxmox's template VM id). */
  options?: Record<string, string>;
}

export interface ProviderModule {
  createProvider(config: ProviderConfig): Provider;
  /** What the driver does, with a reason for each gap: readable without credentials. */
  capabilities: Capabilities;
}

export type ProviderKind = 'cloud' | 'bare-metal' | 'hypervisor';

/** What destroying a server means for the bill. */
export type DestroySemantics =
  | { kind: 'immediate'; note: string }
  /** Monthly servers: cancelled, billed until the end of the paid period (destroy asks first). */
  | { kind: 'end-of-period'; note: string };

/** Where a provider's prices come from when live ones cannot be read, or why it has none. */
export type PriceList =
  /** The dated bundled snapshot in the driver's folder (bundled-offers.json), loaded lazily. */
  | { bundled: () => Promise<unknown> }
  | { none: string };

export interface ProviderDescriptor {
  name: string;
  title: string;
  kind: ProviderKind;
  /** Credentials and options, each read from its variables (and aliases) once, by core. */
  credentials: SettingField[];
  /** FERRY_<PROVIDER>_ENDPOINT: derived from the name when absent. */
  endpointEnv?: string;
  defaultEndpoint: string;
  /** A setting that is the API's URL (Proxmox's PROXMOX_URL): it wins over the default endpoint. */
  endpointSetting?: string;
  /** The document the driver follows. */
  apiReference: string;
  /** Lazy, so the CLI's cold start loads only what it uses. Absent: registered, not implemented yet. */
  load?: () => Promise<ProviderModule>;
  /** Bundled prices or the reason there are none; every implemented driver declares one. */
  prices?: PriceList;
  /** Default: immediate release. */
  destroy?: DestroySemantics;
  /** A provider that no longer exists: listed with the date and where to go, never driven. */
  retired?: { date: string; alternatives: string };
}

/** FERRY_HETZNER_ROBOT_ENDPOINT for hetzner-robot. */
export function endpointEnvOf(d: Pick<ProviderDescriptor, 'name' | 'endpointEnv'>): string {
  return d.endpointEnv ?? `FERRY_${d.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ENDPOINT`;
}

export const IMMEDIATE_RELEASE: DestroySemantics = { kind: 'immediate', note: 'the server is deleted and billing stops at once' };

export function destroySemanticsOf(d: ProviderDescriptor): DestroySemantics {
  return d.destroy ?? IMMEDIATE_RELEASE;
}

export class ProviderRegistry {
  private readonly byName = new Map<string, ProviderDescriptor>();

  /** Two drivers under one name would silently shadow each other: refused. */
  register(d: ProviderDescriptor): this {
    if (this.byName.has(d.name)) throw new Error(`provider "${d.name}" is registered twice`);
    this.byName.set(d.name, d);
    return this;
  }

  /** A planned (road-map) entry is dropped when a driver of that name exists. */
  registerPlanned(d: ProviderDescriptor): this {
    if (!this.byName.has(d.name)) this.byName.set(d.name, d);
    return this;
  }

  registeredProviders(): string[] {
    return [...this.byName.keys()];
  }

  implementedProviders(): string[] {
    return [...this.byName.values()].filter((d) => d.load && !d.retired).map((d) => d.name);
  }

  descriptors(): ProviderDescriptor[] {
    return [...this.byName.values()];
  }

  descriptor(name: string): ProviderDescriptor {
    const d = this.byName.get(name);
    if (!d) throw ProviderError.unknownProvider(name, this.registeredProviders());
    return d;
  }

  /** Refuses retired and planned providers with what to use instead. */
  implemented(name: string): ProviderDescriptor & { load: NonNullable<ProviderDescriptor['load']> } {
    const d = this.descriptor(name);
    if (d.retired) {
      throw new UserError(`${d.title} was retired on ${d.retired.date}; ferry no longer drives it`, d.retired.alternatives);
    }
    if (!d.load) {
      throw new ProviderError({
        kind: 'not_implemented',
        provider: name,
        message: `the ${d.title} driver is not implemented yet; implemented: ${this.implementedProviders().join(', ')}`,
      });
    }
    return d as ProviderDescriptor & { load: NonNullable<ProviderDescriptor['load']> };
  }

  /**
   * Settings the config leaves out are read from the environment (canonical names, then aliases)
   * and defaults; a required one set nowhere is a UserError naming its variables, before any
   * network call. The endpoint is the config's, else FERRY_<PROVIDER>_ENDPOINT, else the default.
   */
  async create(name: string, config: ProviderConfig, env: Record<string, string | undefined> = process.env): Promise<Provider> {
    const d = this.implemented(name);
    const settings = resolveSettings(name, d.credentials, { config: config.credentials, env });
    if (settings.missing.length) {
      throw new UserError(
        `${d.title} credentials missing: ${settings.missing.map((f) => f.env).join(', ')}`,
        `set them in the environment, or run \`ferry config set-credentials ${name}\`; or point ferry at the emulator with ${endpointEnvOf(d)}`,
      );
    }
    const mod = await d.load();
    const endpoint = config.endpoint ?? env[endpointEnvOf(d)] ?? (d.endpointSetting && settings.values[d.endpointSetting]) ?? d.defaultEndpoint;
    // A provider built against a time-scaled emulator polls at its pace unless told otherwise.
    const timeouts = { ...timeoutsForScale(config.http?.timeScale), ...config.timeouts };
    return mod.createProvider({ ...config, credentials: { ...config.credentials, ...settings.values }, endpoint, timeouts });
  }

  /** The seed's createByName(name, token, timeouts) for single-token providers. */
  async createByName(name: string, token: string, timeouts?: Partial<ProviderTimeouts>): Promise<Provider> {
    const d = this.descriptor(name);
    const key = d.credentials.find((f) => f.secret)?.key ?? 'token';
    return this.create(name, { credentials: { [key]: token }, timeouts });
  }
}
