/**
 * The rate table ranking uses: the bundled one, or one the user installed with
 * `ferry offers --rates <file>` (kept in <config>/rates.json and used from then on, until a
 * newer file replaces it).
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/index.js';
import { parseRateTable, rankingRates, useRankingRates, type RateTable } from '../catalog/index.js';
import type { Context } from './context.js';
import { configDir } from './credentials.js';

export function savedRatesPath(ctx: Context): string {
  return join(configDir(ctx.env), 'rates.json');
}

async function readTable(path: string, flag: string): Promise<RateTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return parseRateTable(JSON.parse(text), path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${flag} ${path} is not JSON: ${(err as Error).message}`);
  }
}

/** Installs `--rates <file>` (saved for later runs) or the saved table; returns the table in use. */
export async function activateRates(ctx: Context, file: unknown): Promise<RateTable> {
  if (typeof file === 'string') {
    const table = await readTable(file, '--rates');
    const path = savedRatesPath(ctx);
    await mkdir(configDir(ctx.env), { recursive: true, mode: 0o700 });
    await writeFile(path, `${JSON.stringify(table, null, 2)}\n`, { mode: 0o644 });
    await chmod(path, 0o644);
    useRankingRates(table);
    return table;
  }
  try {
    useRankingRates(parseRateTable(JSON.parse(await readFile(savedRatesPath(ctx), 'utf8')), savedRatesPath(ctx)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err instanceof UserError ? err : new UserError(`the saved rate table ${savedRatesPath(ctx)} is damaged: ${(err as Error).message}`, 'replace it with `ferry offers --rates <file>`');
  }
  return rankingRates();
}
