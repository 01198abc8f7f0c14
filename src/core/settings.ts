/**
 * A driver's settings, declared once in its descriptor and read once here: every place that needs
 * a provider's credentials (the CLI, the agent, the library's registry) resolves them the same way.
 */
import { UserError } from './errors.js';

export interface SettingField {
  /** The key in ProviderConfig.credentials (secrets) or options (everything else). */
  key: string;
  /** The canonical environment variable. */
  env: string;
  /** Other variables read when the canonical one is unset, in order (e.g. the provider's own CLI names). */
  aliases?: string[];
  secret: boolean;
  required: boolean;
  description: string;
  /** Used when no source sets the field. */
  default?: string;
  /** A value of the right form, for hints and the emulator's setup lines (e.g. root@pam!ferry). */
  example?: string;
  /** Checks and normalises a value; throws a message naming what is wrong. */
  parse?: (value: string) => string;
}

/** Kept for the seed's name: credentials are settings too. */
export type CredentialField = SettingField;

export type SettingSource = 'env' | 'file' | 'default' | 'config';

export interface ResolvedSettings {
  values: Record<string, string>;
  sources: Record<string, SettingSource>;
  /** Which variable set each field read from the environment (an alias is named). */
  envNames: Record<string, string>;
  missing: SettingField[];
}

/** Every variable a field may be read from, canonical first. */
export function envNames(f: SettingField): string[] {
  return [f.env, ...(f.aliases ?? [])];
}

/**
 * Precedence, the same everywhere: explicit config (the agent's toml, a library caller) → the
 * environment (canonical name, then aliases) → the credentials file → the default.
 */
export function resolveSettings(
  provider: string,
  fields: readonly SettingField[],
  sources: { config?: Record<string, string | undefined>; env?: Record<string, string | undefined>; file?: Record<string, string | undefined> },
): ResolvedSettings {
  const out: ResolvedSettings = { values: {}, sources: {}, envNames: {}, missing: [] };
  for (const f of fields) {
    let value: string | undefined;
    let source: SettingSource | undefined;
    if (sources.config?.[f.key]) [value, source] = [sources.config[f.key], 'config'];
    if (value === undefined && sources.env) {
      const name = envNames(f).find((n) => sources.env![n]);
      if (name) [value, source, out.envNames[f.key]] = [sources.env[name], 'env', name];
    }
    if (value === undefined && sources.file?.[f.key]) [value, source] = [sources.file[f.key], 'file'];
    if (value === undefined && f.default !== undefined) [value, source] = [f.default, 'default'];
    if (value === undefined) {
      if (f.required) out.missing.push(f);
      continue;
    }
    if (f.parse) {
      try {
        value = f.parse(value);
      } catch (err) {
        const where = source === 'env' ? out.envNames[f.key]! : `${provider}.${f.key}`;
        throw new UserError(`${where}: ${(err as Error).message}`, f.description);
      }
    }
    out.values[f.key] = value;
    out.sources[f.key] = source!;
  }
  return out;
}

/** A parser for boolean settings ("true"/"false", "1"/"0", "yes"/"no"). */
export function booleanSetting(value: string): string {
  if (/^(1|true|yes|on)$/i.test(value)) return 'true';
  if (/^(0|false|no|off)$/i.test(value)) return 'false';
  throw new Error(`"${value}" is not a boolean; use true or false`);
}
