/** Typed readers over a parsed TOML table that collect every problem (with its line) instead of stopping at the first. */
import { lineOf, type ConfigIssue } from './config-source.js';
import { modeProblem, readSecretFile, resolvePath, SecretFileError } from './secrets.js';

export type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function closest(word: string, choices: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0]!;
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = d[j]!;
        d[j] = next;
      }
    }
    return d[b.length]!;
  };
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of choices) {
    const dist = distance(word, c);
    if (dist < bestD) [best, bestD] = [c, dist];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export class Reader {
  readonly issues: ConfigIssue[] = [];
  readonly warnings: string[] = [];

  constructor(
    readonly file: string,
    private readonly index: Map<string, number>,
    /** Relative secret and script paths resolve against the configuration file's folder. */
    readonly baseDir: string,
    /** The configuration file's mode, when it was read from disk: inline secrets obey the secret-file rules. */
    readonly fileMode?: number,
  ) {}

  /**
   * A secret written inline is only as private as the configuration file: a file every user can
   * read is refused exactly as a world-readable secret file is, and a group-readable one warns.
   */
  inlineSecret(key: string): boolean {
    if (this.fileMode === undefined) return true;
    const problem = modeProblem(this.fileMode);
    if (problem?.level === 'refuse') {
      this.fail(key, `is a secret written inline in ${this.file}, which ${problem.message} (or move the secret to a 0600 file)`);
      return false;
    }
    if (problem) this.warn(key, `is a secret written inline in ${this.file}, which ${problem.message}`);
    return true;
  }

  fail(key: string, message: string): void {
    this.issues.push({ key, line: lineOf(this.index, key), message });
  }

  warn(key: string, message: string): void {
    const line = lineOf(this.index, key);
    this.warnings.push(`${this.file}${line === null ? '' : `:${line}`}: ${key}: ${message}`);
  }

  /** A sub-table; a missing required one is an issue naming it. */
  table(parent: Table, prefix: string, name: string, required: boolean): Table | undefined {
    const key = join(prefix, name);
    const v = parent[name];
    if (v === undefined) {
      if (required) this.fail(key, `missing table [${key}]`);
      return undefined;
    }
    if (!isTable(v)) {
      this.fail(key, `must be a table ([${key}])`);
      return undefined;
    }
    return v;
  }

  /** Unknown keys are errors (a typo must not silently fall back to a default), with a suggestion. */
  onlyKeys(t: Table, prefix: string, allowed: readonly string[]): void {
    for (const k of Object.keys(t)) {
      if (allowed.includes(k)) continue;
      const hint = closest(k, allowed);
      this.fail(join(prefix, k), `unknown key${hint ? ` (did you mean ${hint}?)` : ''}; expected one of ${allowed.join(', ')}`);
    }
  }

  string(t: Table, prefix: string, name: string, o: { required?: boolean; pattern?: RegExp; hint?: string } = {}): string | undefined {
    const key = join(prefix, name);
    const v = t[name];
    if (v === undefined) {
      if (o.required) this.fail(key, `is required${o.hint ? ` (${o.hint})` : ''}`);
      return undefined;
    }
    if (typeof v !== 'string') return this.wrongType(key, 'a string', v);
    if (!v.trim()) {
      this.fail(key, 'must not be empty');
      return undefined;
    }
    if (o.pattern && !o.pattern.test(v)) {
      this.fail(key, `invalid value ${JSON.stringify(v)}${o.hint ? `: ${o.hint}` : ''}`);
      return undefined;
    }
    return v;
  }

  url(t: Table, prefix: string, name: string, o: { required?: boolean } = {}): string | undefined {
    const v = this.string(t, prefix, name, o);
    if (v === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      this.fail(join(prefix, name), `${JSON.stringify(v)} is not a URL (e.g. https://host:port)`);
      return undefined;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      this.fail(join(prefix, name), `must be an http:// or https:// URL, got ${u.protocol}`);
      return undefined;
    }
    return v.replace(/\/+$/, '');
  }

  number(t: Table, prefix: string, name: string, o: { default?: number; min?: number; max?: number; integer?: boolean; required?: boolean } = {}): number | undefined {
    const key = join(prefix, name);
    const raw = t[name];
    if (raw === undefined) {
      if (o.required) this.fail(key, 'is required');
      return o.default;
    }
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.wrongType(key, 'a number', raw) ?? o.default;
    if (o.integer && !Number.isInteger(v)) this.fail(key, `must be a whole number, got ${v}`);
    else if (o.min !== undefined && v < o.min) this.fail(key, `must be at least ${o.min}, got ${v}`);
    else if (o.max !== undefined && v > o.max) this.fail(key, `must be at most ${o.max}, got ${v}`);
    else return v;
    return o.default;
  }

  boolean(t: Table, prefix: string, name: string, fallback: boolean): boolean {
    const v = t[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') return this.wrongType(join(prefix, name), 'true or false', v) ?? fallback;
    return v;
  }

  stringMap(t: Table, prefix: string, name: string): Record<string, string> {
    const key = join(prefix, name);
    const v = t[name];
    if (v === undefined) return {};
    if (!isTable(v)) return this.wrongType(key, 'a table of strings', v) ?? {};
    const out: Record<string, string> = {};
    for (const [k, value] of Object.entries(v)) {
      if (typeof value === 'string') out[k] = value;
      else this.wrongType(join(key, k), 'a string', value);
    }
    return out;
  }

  /**
   * A secret given inline as `name` or as a path in `name_file`; both at once is an error.
   * `inlineMayBePath` accepts the seed's "secret or path to key file" form: a value that
   * does not look like the secret is read as a path.
   */
  secret(
    t: Table,
    prefix: string,
    name: string,
    o: { required?: boolean; looksInline?: (v: string) => boolean; parseFile?: (text: string) => string } = {},
  ): string | undefined {
    const inline = this.string(t, prefix, name);
    const path = this.string(t, prefix, `${name}_file`);
    if (inline !== undefined && path !== undefined) {
      this.fail(join(prefix, `${name}_file`), `give either ${name} or ${name}_file, not both`);
      return undefined;
    }
    if (inline !== undefined && (!o.looksInline || o.looksInline(inline.trim()))) {
      return this.inlineSecret(join(prefix, name)) ? inline.trim() : undefined;
    }
    const filePath = path ?? inline;
    const fileKey = join(prefix, path !== undefined ? `${name}_file` : name);
    if (filePath === undefined) {
      if (o.required) this.fail(join(prefix, name), `is required (or ${name}_file with a path to a file holding it)`);
      return undefined;
    }
    try {
      const file = readSecretFile(resolvePath(filePath, this.baseDir));
      if (file.warning) this.warn(fileKey, file.warning);
      return o.parseFile ? o.parseFile(file.value) : file.value;
    } catch (err) {
      if (err instanceof SecretFileError) {
        this.fail(fileKey, err.message);
        return undefined;
      }
      throw err;
    }
  }

  private wrongType(key: string, expected: string, v: unknown): undefined {
    const got = Array.isArray(v) ? 'an array' : v instanceof Date ? 'a date' : isTable(v) ? 'a table' : `${typeof v} ${JSON.stringify(v)}`;
    this.fail(key, `must be ${expected}, got ${got}`);
    return undefined;
  }
}

export function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}
