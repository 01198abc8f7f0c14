/**
 * `ferry inventory import <file.csv>`: each live row is looked up at its provider and adopted
 * only if the server is there (its launch price and labels come from the file); a row whose
 * server does not exist is refused. Destroyed rows are records, kept for costs and history.
 * Every row gets an outcome; any refusal makes the exit code 1.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../../core/index.js';
import { INVENTORY_CSV_COLUMNS, parseCsv, recordFromCsv, type InventoryRecord } from '../../store/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { printJson, printTable } from '../output.js';

interface Outcome {
  line: number;
  provider: string;
  instanceId: string;
  outcome: 'adopted' | 'recorded' | 'already known' | 'refused';
  detail: string;
}

export async function importCsv(ctx: Context, args: Args): Promise<number> {
  const file = String(args.file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (err) {
    throw new UserError(`${file} is not valid CSV: ${(err as Error).message}`);
  }
  const [header, ...rows] = table;
  const missing = ['provider', 'instance_id', 'name', 'region', 'size', 'created_at'].filter((c) => !header?.includes(c));
  if (!header || missing.length) throw new UserError(`${file} lacks the column(s) ${missing.join(', ') || 'header'}`, `the columns of \`ferry inventory export --csv\`: ${INVENTORY_CSV_COLUMNS.join(',')}`);
  const store = await ctx.store();
  const outcomes: Outcome[] = [];
  for (const [i, cells] of rows.entries()) {
    const line = i + 2;
    const rec = recordFromCsv(header, cells);
    if (typeof rec === 'string') {
      outcomes.push({ line, provider: cells[header.indexOf('provider')] ?? '', instanceId: cells[header.indexOf('instance_id')] ?? '', outcome: 'refused', detail: rec });
      continue;
    }
    outcomes.push({ line, provider: rec.provider, instanceId: rec.instanceId, ...(await importRow(ctx, rec)) });
  }
  const refused = outcomes.filter((o) => o.outcome === 'refused').length;
  if (args.json) printJson(ctx, { rows: outcomes, refused });
  else {
    printTable(ctx, ['line', 'provider', 'id', 'outcome', 'detail'], outcomes.map((o) => [String(o.line), o.provider, o.instanceId, o.outcome, o.detail]), '(the file has no rows)');
    const count = (k: Outcome['outcome']) => outcomes.filter((o) => o.outcome === k).length;
    ctx.stdout.write(`\n${count('adopted')} adopted, ${count('recorded')} recorded, ${count('already known')} already known, ${refused} refused\n`);
  }
  return refused ? 1 : 0;

  async function importRow(c: Context, rec: InventoryRecord): Promise<Pick<Outcome, 'outcome' | 'detail'>> {
    if (await store.inventory.get(rec.provider, rec.instanceId)) return { outcome: 'already known', detail: 'kept the existing row' };
    if (rec.deletedAt) {
      await store.inventory.restore(rec);
      return { outcome: 'recorded', detail: `destroyed ${rec.deletedAt}` };
    }
    try {
      const provider = await c.provider(rec.provider);
      const seen = await provider.getInstance(rec.instanceId);
      if (!seen) return { outcome: 'refused', detail: `no such server at ${rec.provider}` };
      await store.db.transaction(async () => {
        await store.inventory.restore({ ...rec, lastSeenStatus: seen.status.state, ipv4: seen.ipv4 ?? rec.ipv4, ipv6: seen.ipv6 ?? rec.ipv6 });
        await store.history.record({ provider: rec.provider, kind: 'imported', instanceId: rec.instanceId, name: rec.name, detail: { status: seen.status.state } });
      });
      return { outcome: 'adopted', detail: `${seen.status.state} at ${rec.provider}` };
    } catch (err) {
      return { outcome: 'refused', detail: `could not check it at ${rec.provider}: ${(err as Error).message.split('\n')[0]}` };
    }
  }
}
