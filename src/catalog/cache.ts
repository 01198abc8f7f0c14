/**
 * Per-provider offer cache on disk: $XDG_CACHE_HOME/ferry/offers/<provider>.json
 * (default ~/.cache/ferry/offers). Files are written atomically (temp file + rename) with
 * mode 0600, so a crash or a concurrent `ferry` never leaves a half-written catalog.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Offer } from '../core/index.js';

export const DEFAULT_OFFER_TTL_MS = 6 * 60 * 60 * 1000;
const FORMAT_VERSION = 1;

export function defaultOfferCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'ferry', 'offers');
}

export interface OfferCacheOptions {
  /** Defaults to defaultOfferCacheDir(); tests pass a temporary directory. */
  dir?: string;
  ttlMs?: number;
  /** Milliseconds since the epoch; injectable so tests control expiry. */
  now?: () => number;
}

export interface CachedOffers {
  /** Marked source 'cache'; fetchedAt stays the time the live prices were read. */
  offers: Offer[];
  /** ISO 8601 time the entry was written. */
  writtenAt: string;
  fresh: boolean;
}

interface CacheFile {
  version: number;
  provider: string;
  writtenAt: string;
  offers: Offer[];
}

export class OfferCache {
  readonly dir: string;
  readonly ttlMs: number;
  private readonly now: () => number;

  constructor(o: OfferCacheOptions = {}) {
    this.dir = o.dir ?? defaultOfferCacheDir();
    this.ttlMs = o.ttlMs ?? DEFAULT_OFFER_TTL_MS;
    if (!(this.ttlMs >= 0)) throw new RangeError(`offer cache TTL must be a non-negative number of milliseconds, got ${this.ttlMs}`);
    this.now = o.now ?? Date.now;
  }

  path(provider: string): string {
    // Provider names become file names; refuse anything that could leave the directory.
    if (!/^[a-z0-9][a-z0-9_-]*$/i.test(provider)) throw new Error(`invalid provider name for the offer cache: ${JSON.stringify(provider)}`);
    return join(this.dir, `${provider}.json`);
  }

  /** The entry, fresh or stale; null when absent or unreadable (a damaged file is simply rewritten later). */
  async read(provider: string): Promise<CachedOffers | null> {
    let text: string;
    try {
      text = await readFile(this.path(provider), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const file = parseCacheFile(text, provider);
    if (!file) return null;
    const age = this.now() - Date.parse(file.writtenAt);
    return {
      offers: file.offers.map((o) => ({ ...o, source: 'cache' as const })),
      writtenAt: file.writtenAt,
      fresh: age >= 0 && age < this.ttlMs,
    };
  }

  async write(provider: string, offers: readonly Offer[]): Promise<void> {
    const target = this.path(provider);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file: CacheFile = { version: FORMAT_VERSION, provider, writtenAt: new Date(this.now()).toISOString(), offers: [...offers] };
    const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(file), { mode: 0o600, flag: 'wx' });
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function parseCacheFile(text: string, provider: string): CacheFile | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const f = data as Partial<CacheFile>;
  if (f.version !== FORMAT_VERSION || f.provider !== provider || typeof f.writtenAt !== 'string' || Number.isNaN(Date.parse(f.writtenAt))) return null;
  if (!Array.isArray(f.offers) || f.offers.length === 0 || !f.offers.every(isOfferShaped)) return null;
  return f as CacheFile;
}

function isOfferShaped(o: unknown): o is Offer {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  return (
    typeof r.provider === 'string' &&
    typeof r.plan === 'string' &&
    typeof r.region === 'string' &&
    typeof r.currency === 'string' &&
    typeof r.fetchedAt === 'string' &&
    ['vcpus', 'memoryGb', 'diskGb', 'gpuCount', 'priceHourly', 'priceMonthly', 'leadTimeHours'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]))
  );
}
