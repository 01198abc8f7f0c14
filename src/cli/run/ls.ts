/**
 * `ferry ls`: what the providers report, merged with the inventory. An inventory row the
 * provider no longer has shows as "gone"; a provider that cannot be asked shows its rows
 * as last seen, marked "(unverified)". Seen statuses are written back to the inventory.
 */
import { byCodeUnits, MANAGED_BY_KEY, CREATE_ID_KEY, FLEET_KEY, ownershipMismatch, UserError } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { byName, expectedOf, rowOf, rowOfRecord, scopedRecords, type InstanceRow } from '../instances.js';
import { age, formatLabels, printJson, printTable } from '../output.js';
import { providerNow, recordsNow } from '../provider-clock.js';
import { targetProviders } from '../providers.js';

/** What a fleet id can be: a label value and a tag on every provider. */
const FLEET_ID = /^[A-Za-z0-9_.-]{1,63}$/;

export async function run(ctx: Context, args: Args): Promise<number> {
  const asked = args.provider as string[] | undefined;
  const fleet = typeof args.fleet === 'string' ? args.fleet : undefined;
  if (fleet !== undefined && !FLEET_ID.test(fleet)) throw new UserError(`--fleet ${JSON.stringify(fleet)} is not a fleet id`, '`ferry deploy --count` prints it, and `ferry ls` shows each server\'s');
  const providers = await targetProviders(ctx, asked, '`ferry ls`');
  // A fleet is listed by its label (DigitalOcean: its tag), and only its inventory rows are merged.
  const labels = fleet ? { [FLEET_KEY]: fleet } : undefined;
  const inFleet = (r: { labels: Record<string, string> }) => !fleet || r.labels[FLEET_KEY] === fleet;
  const rows: InstanceRow[] = [];
  const problems: string[] = [];
  // Rows the provider reported carry its creation time, so their age is on its clock.
  const fromProvider = new Set<InstanceRow>();
  const drivers = providers.map((name) => ctx.provider(name));
  const listing = Promise.all(
    providers.map(async (name, i) => {
      try {
        return { name, instances: await (await drivers[i]!).listInstances({ all: Boolean(args.all), ...(labels ? { labels } : {}) }) };
      } catch (err) {
        if (asked?.length) throw err;
        problems.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
        return { name, instances: null };
      }
    }),
  );
  // The store opens once the listings are on their way: loading SQLite holds the thread that loading
  // the drivers needs, and the answers take longer. Its failure is reported once the listings are in.
  const opening = Promise.allSettled(drivers).then(() => ctx.store());
  opening.catch(() => undefined);
  const listed = await listing;
  const store = await opening;
  for (const { name, instances } of listed) {
    const known = (await scopedRecords(ctx, name)).filter(inFleet);
    if (!instances) {
      rows.push(...known.map((r) => rowOfRecord(r, `${r.lastSeenStatus ?? 'unknown'} (unverified)`)));
      continue;
    }
    const provider = await ctx.provider(name);
    const byId = new Map(known.map((r) => [r.instanceId, r]));
    // A row whose id now names another server (a reused id) is gone; that server is listed as what it is.
    const stale = (i: (typeof instances)[number]) => {
      const r = byId.get(i.id);
      return r ? ownershipMismatch(i, expectedOf({ provider, id: r.instanceId, name: r.name, record: r })) !== null : false;
    };
    const seen = new Set(instances.filter((i) => !stale(i)).map((i) => i.id));
    const reported = instances.map(rowOf);
    for (const row of reported) fromProvider.add(row);
    rows.push(...reported);
    await store.inventory.updateSeenAll(name, instances.filter((i) => seen.has(i.id)).map((i) => ({ instanceId: i.id, status: i.status.state, ipv4: i.ipv4, ipv6: i.ipv6 })));
    rows.push(...known.filter((r) => !seen.has(r.instanceId)).map((r) => rowOfRecord(r, 'gone')));
  }
  // Instances of configured providers the command did not ask (no credentials any more) still show from the inventory.
  if (!asked?.length) {
    for (const r of await store.inventory.list()) {
      if (!providers.includes(r.provider) && inFleet(r)) rows.push(rowOfRecord(r, `${r.lastSeenStatus ?? 'unknown'} (unverified)`));
    }
  }
  // Oldest first; servers made together (a fleet) by name, web-2 before web-10.
  rows.sort((a, b) => byCodeUnits(a.createdAt, b.createdAt) || byName(a, b));
  if (args.json) {
    printJson(ctx, rows);
  } else {
    const now = recordsNow(ctx);
    // The fleet column shows when a listing mixes fleets with other servers (`--all` shows it among the labels).
    const fleets = !fleet && !args.all && rows.some((r) => r.labels[FLEET_KEY]);
    printTable(
      ctx,
      ['name', 'provider', 'id', 'status', 'ip', 'region', 'size', 'age', 'owner', ...(fleets ? ['fleet'] : []), ...(args.all ? ['labels'] : [])],
      rows.map((r) => [
        r.name,
        r.provider,
        r.id,
        r.status,
        r.ip ?? '-',
        r.region,
        r.size,
        age(r.createdAt, fromProvider.has(r) ? providerNow(ctx, r.provider) : now),
        r.owner === 'cli' ? 'ferry' : r.owner.startsWith('agent:') ? `agent (contract ${r.owner.slice(6)})` : r.owner,
        ...(fleets ? [r.labels[FLEET_KEY] ?? '-'] : []),
        ...(args.all ? [formatLabels(r.labels, [CREATE_ID_KEY])] : []),
      ]),
      fleet ? `(no server of fleet ${fleet})` : args.all ? '(no instances)' : '(no instances managed by ferry; `ferry deploy` creates one, `--all` lists everything in the accounts)',
    );
    const gone = rows.filter((r) => r.status === 'gone').length;
    if (gone) ctx.stderr.write(`note: ${gone} instance(s) in the inventory no longer exist at the provider; \`ferry gc\` records that\n`);
    if (args.all) ctx.stderr.write(`(instances labelled ${MANAGED_BY_KEY}=ferry are ferry's)\n`);
  }
  for (const p of problems) ctx.stderr.write(`warning: could not list ${p}\n`);
  return problems.length ? 1 : 0;
}
