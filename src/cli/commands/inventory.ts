import { defineCommand, JSON_OPTION } from '../define.js';

const CSV_OPTION = { flags: '--csv', description: 'print CSV instead of a table' };

export default defineCommand({
  name: 'inventory',
  description: 'what ferry has run: servers per provider, region and status, hours, spend to date, oldest, labels',
  options: [{ flags: '--provider <name>', description: 'only this provider' }, JSON_OPTION, CSV_OPTION],
  handler: async (ctx, args) => (await import('../run/inventory.js')).stats(ctx, args),
  subcommands: [
    defineCommand({
      name: 'export',
      description: 'every inventory row (destroyed ones included) as CSV on stdout',
      options: [{ flags: '--csv', description: 'CSV (the only format; for symmetry with import)' }, { flags: '--provider <name>', description: 'only this provider' }],
      handler: async (ctx, args) => (await import('../run/inventory.js')).exportCsv(ctx, args),
    }),
    defineCommand({
      name: 'import',
      description: 'adopt the servers of a CSV export that exist at their provider; refuse rows that do not; report each row',
      args: ['<file>'],
      options: [JSON_OPTION],
      help: 'Live rows are checked at the provider (credentials needed) and adopted with their launch price; destroyed rows are kept as records for costs and history.',
      handler: async (ctx, args) => (await import('../run/inventory-import.js')).importCsv(ctx, args),
    }),
  ],
});
