/**
 * Credentials per provider: environment variables win over the credentials file
 * ($XDG_CONFIG_HOME/ferry/credentials.toml, mode 0600 in a 0700 directory), field by field.
 * FERRY_<PROVIDER>_ENDPOINT (or `endpoint` in the file) points a driver elsewhere, e.g. at the emulator.
 * The file follows the rule of every secret file (src/agent/secrets.ts): readable by every user is
 * refused, by its group warned about; unknown sections and keys are warned about by name.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { modeProblem } from '../agent/secrets.js';
import { stderr } from './stdio.js';
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

/** Warnings go to stderr: reading credentials is not a command's output. */
const toStderr = (message: string) => stderr.write(`warning: ${message}\n`);

export async function loadCredentials(env: NodeJS.ProcessEnv, registry: ProviderRegistry, warn: (message: string) => void = toStderr): Promise<Credentials> {
  const path = credentialsPath(env);
  let text: string;
  try {
    const problem = modeProblem((await stat(path)).mode);
    if (problem?.level === 'refuse') throw new UserError(`${path} ${problem.message}`, 'its secrets must be considered leaked: rotate them after fixing the mode');
    if (problem) warn(`${path} ${problem.message}`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Credentials(path, {}, env, registry);
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read ${path}: ${(err as Error).message}`);
  }
  // The TOML reader loads only when there is a file to read.
  const { parse } = await import('smol-toml');
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    const at = err as { line?: number; column?: number };
    const where = typeof at.line === 'number' ? ` at line ${at.line}${typeof at.column === 'number' ? `, column ${at.column}` : ''}` : '';
    throw new UserError(`${path} is not valid TOML${where}: ${(err as Error).message.split('\n')[0]}`, 'fix the file or remove it and run `ferry config set-credentials <provider>` again');
  }
  return new Credentials(path, sectionsOf(path, data as Record<string, unknown>, registry, warn), env, registry);
}

/** The file's sections as strings; what ferry would silently ignore (a typo) is named instead. */
function sectionsOf(path: string, data: Record<string, unknown>, registry: ProviderRegistry, warn: (message: string) => void): FileData {
  const providers = registry.registeredProviders();
  const sections: FileData = {};
  for (const [provider, section] of Object.entries(data)) {
    if (!providers.includes(provider)) {
      warn(`${path}: unknown provider [${provider}] is ignored; known: ${providers.join(', ')}`);
      continue;
    }
    if (typeof section !== 'object' || section === null || Array.isArray(section)) {
      warn(`${path}: ${provider} must be a [${provider}] table; it is ignored`);
      continue;
    }
    const valid = [...registry.descriptor(provider).credentials.map((f) => f.key), 'endpoint'];
    const values: Record<string, string> = {};
    for (const [key, v] of Object.entries(section)) {
      if (!valid.includes(key)) warn(`${path}: unknown key "${key}" in [${provider}] is ignored; valid keys: ${valid.join(', ')}`);
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[key] = String(v);
      else warn(`${path}: [${provider}] ${key} must be a string, number or boolean; it is ignored`);
    }
    sections[provider] = values;
  }
  return sections;
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
