/**
 * Credentials per provider: environment variables win over the credentials file
 * ($XDG_CONFIG_HOME/ferry/credentials.toml, mode 0600 in a 0700 directory), field by field.
 * FERRY_<PROVIDER>_ENDPOINT (or `endpoint` in the file) points a driver elsewhere, e.g. at the emulator.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { endpointEnvOf, resolveSettings, UserError, type CredentialField, type ProviderDescriptor, type ProviderRegistry } from '../core/index.js';

export type Source = 'env' | 'file';

export interface ResolvedCredentials {
  descriptor: ProviderDescriptor;
  values: Record<string, string>;
  sources: Record<string, Source>;
  endpoint?: string;
  endpointSource?: Source;
  /** Required fields set nowhere. */
  missing: CredentialField[];
}

type FileData = Record<string, Record<string, string>>;

export function configDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'ferry');
}

export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'credentials.toml');
}

export class Credentials {
  constructor(
    readonly path: string,
    private data: FileData,
    private readonly env: NodeJS.ProcessEnv,
    private readonly registry: ProviderRegistry,
  ) {}

  resolve(provider: string): ResolvedCredentials {
    const descriptor = this.registry.descriptor(provider);
    const fromFile = this.data[provider] ?? {};
    // Defaults are left to the driver, so `config show` lists only what a person set.
    const fields = descriptor.credentials.map(({ default: _unused, ...f }) => f);
    const settings = resolveSettings(provider, fields, { env: this.env, file: fromFile });
    const resolved: ResolvedCredentials = {
      descriptor,
      values: settings.values,
      sources: settings.sources as Record<string, Source>,
      missing: settings.missing,
    };
    const endpointEnv = this.env[endpointEnvOf(descriptor)];
    if (endpointEnv) Object.assign(resolved, { endpoint: endpointEnv, endpointSource: 'env' });
    else if (fromFile.endpoint) Object.assign(resolved, { endpoint: fromFile.endpoint, endpointSource: 'file' });
    return resolved;
  }

  /** Implemented providers with every required field set. */
  configured(): string[] {
    return this.registry.implementedProviders().filter((p) => this.resolve(p).missing.length === 0);
  }

  /** Merges values into the file's section for this provider and writes it with mode 0600. */
  async save(provider: string, values: Record<string, string>): Promise<void> {
    this.data = { ...this.data, [provider]: { ...(this.data[provider] ?? {}), ...values } };
    const dir = configDir(this.env);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const temp = `${this.path}.${process.pid}.tmp`;
    const header = '# ferry credentials: keep this file private (mode 0600). Environment variables win over it.\n';
    const { stringify } = await import('smol-toml');
    await writeFile(temp, header + stringify(this.data) + '\n', { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.path);
  }
}

export async function loadCredentials(env: NodeJS.ProcessEnv, registry: ProviderRegistry): Promise<Credentials> {
  const path = credentialsPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Credentials(path, {}, env, registry);
    throw new UserError(`cannot read ${path}: ${(err as Error).message}`);
  }
  // The TOML reader loads only when there is a file to read.
  const { parse } = await import('smol-toml');
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new UserError(`${path} is not valid TOML: ${(err as Error).message.split('\n')[0]}`, 'fix the file or remove it and run `ferry config set-credentials <provider>` again');
  }
  const sections: FileData = {};
  for (const [provider, section] of Object.entries(data as Record<string, unknown>)) {
    if (typeof section !== 'object' || section === null) continue;
    sections[provider] = Object.fromEntries(Object.entries(section).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
  }
  return new Credentials(path, sections, env, registry);
}

/** The hint a command prints when a provider has no credentials: variables, config call, emulator. */
export function missingCredentialsHint(d: ProviderDescriptor, missing: readonly CredentialField[]): string {
  const vars = missing.map((f) => `${f.env}=…`).join(' ');
  const anything = missing.map((f) => `${f.env}=${f.example ?? 'anything'}`).join(' ');
  return [
    `export ${vars}, or run \`ferry config set-credentials ${d.name}\`;`,
    `      or try the built-in emulator: \`ferry emulator\` in another terminal, then ${endpointEnvOf(d)}=<its ${d.name} URL> ${anything}`,
    '      (`ferry demo` runs the whole flow against the emulator in one go)',
  ].join('\n');
}
