/** `ferry store migrate --to postgres://…`: copy the current store into an empty PostgreSQL database. */
import { UserError } from '../../core/index.js';
import { copyStore, openDb, resolveDatabase } from '../../store/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { note, printJson } from '../output.js';

/** postgres://user:secret@host/db → postgres://user:***@host/db, for messages. */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

export async function migrate(ctx: Context, args: Args): Promise<number> {
  if (typeof args.to !== 'string' || !args.to.trim()) throw new UserError('--to is required', 'e.g. `ferry store migrate --to postgres://user@host/ferry`');
  const target = resolveDatabase(args.to, ctx.env);
  if (target.dialect !== 'postgres') throw new UserError(`--to must be a postgres:// URL, got ${redact(args.to)}`);
  const source = resolveDatabase(undefined, ctx.env);
  if (source.dialect === 'postgres' && source.url === target.url) throw new UserError('--to is the store ferry already uses');
  const from = (await ctx.store()).db;
  const to = await openDb(args.to, { env: ctx.env });
  try {
    const report = await copyStore(from, to, { onTable: (name, rows) => args.json || note(ctx, `copied ${rows} row(s) of ${name}`) });
    const where = source.dialect === 'sqlite' ? source.path : redact(source.url);
    if (args.json) printJson(ctx, { from: where, to: redact(args.to), tables: report.tables });
    else ctx.stdout.write(`copied the store from ${where} to ${redact(args.to)}; set FERRY_DATABASE_URL to that URL to use it (the old store is left as it was)\n`);
    return 0;
  } catch (err) {
    if (err instanceof Error && /already has rows/.test(err.message)) throw new UserError(err.message, 'give an empty database, or drop ferry\'s tables there first');
    throw err;
  } finally {
    await to.close();
  }
}
