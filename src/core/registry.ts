import { ProviderError, UserError } from './errors.js';
import type { Capabilities } from './capabilities.js';
import type { Provider } from './provider.js';
import type { ProviderTimeouts } from './timeouts.js';

/** How the transport of a driver is set up; transport/ implements it. Everything is injectable for tests. */
export interface HttpSettings {
  fetch?: typeof fetch;
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
  /** Keys as declared by the descriptor's credential fields. */
  credentials: Record<string, string>;
  /** Base URL override; the emulator's URL in tests and demos. */
  endpoint?: string;
  timeouts?: Partial<ProviderTimeouts>;
  http?: HttpSettings;
  /** Driver-specific options (e.g. Proxmox's template VM id). */
  options?: Record<string, string>;
}

export interface CredentialField {
  key: string;
  env: string;
  secret: boolean;
  required: boolean;
  description: string;
}

export interface ProviderModule {
  createProvider(config: ProviderConfig): Provider;
  /** What the driver does, with a reason for each gap: readable without credentials. */
  capabilities: Capabilities;
}

export interface ProviderDescriptor {
  name: string;
  title: string;
  kind: 'cloud' | 'bare-metal' | 'hypervisor';
  credentials: CredentialField[];
  /** FERRY_<PROVIDER>_ENDPOINT */
  endpointEnv: string;
  defaultEndpoint: string;
  /** The document the driver follows. */
  apiReference: string;
  /** Lazy, so the CLI's cold start loads only what it uses. Absent: registered, not implemented yet. */
  load?: () => Promise<ProviderModule>;
}

export class ProviderRegistry {
  private readonly byName = new Map<string, ProviderDescriptor>();

  register(d: ProviderDescriptor): this {
    this.byName.set(d.name, d);
    return this;
  }

  registeredProviders(): string[] {
    return [...this.byName.keys()];
  }

  implementedProviders(): string[] {
    return [...this.byName.values()].filter((d) => d.load).map((d) => d.name);
  }

  descriptors(): ProviderDescriptor[] {
    return [...this.byName.values()];
  }

  descriptor(name: string): ProviderDescriptor {
    const d = this.byName.get(name);
    if (!d) throw ProviderError.unknownProvider(name, this.registeredProviders());
    return d;
  }

  /**
   * Missing required credentials are a UserError naming the variables, raised before any network call.
   * Without an endpoint in the config, the descriptor's FERRY_<PROVIDER>_ENDPOINT variable is honoured.
   */
  async create(name: string, config: ProviderConfig, env: Record<string, string | undefined> = process.env): Promise<Provider> {
    const d = this.descriptor(name);
    if (!d.load) {
      throw new ProviderError({
        kind: 'not_implemented',
        provider: name,
        message: `the ${d.title} driver is not implemented yet; implemented: ${this.implementedProviders().join(', ')}`,
      });
    }
    const missing = d.credentials.filter((f) => f.required && !config.credentials[f.key]);
    if (missing.length) {
      throw new UserError(
        `${d.title} credentials missing: ${missing.map((f) => f.env).join(', ')}`,
        `set them in the environment, or run \`ferry config set-credentials ${name}\`; or point ferry at the emulator with ${d.endpointEnv}`,
      );
    }
    const mod = await d.load();
    const endpoint = config.endpoint ?? env[d.endpointEnv];
    return mod.createProvider(endpoint ? { ...config, endpoint } : config);
  }

  /** The seed's createByName(name, token, timeouts) for single-token providers. */
  async createByName(name: string, token: string, timeouts?: Partial<ProviderTimeouts>): Promise<Provider> {
    const d = this.descriptor(name);
    const key = d.credentials.find((f) => f.secret)?.key ?? 'token';
    return this.create(name, { credentials: { [key]: token }, timeouts });
  }
}
