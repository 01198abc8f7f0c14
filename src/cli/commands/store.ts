import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'store',
  description: 'ferry\'s local state (inventory, create journal, history)',
  subcommands: [
    defineCommand({
      name: 'migrate',
      description: 'copy the current store (e.g. the SQLite file) into an empty PostgreSQL database',
      options: [{ flags: '--to <url>', description: 'postgres://… of the target (required)' }, JSON_OPTION],
      help: 'The copy runs in one transaction on the target; the source is left as it is. Then set FERRY_DATABASE_URL to the new URL.',
      handler: async (ctx, args) => (await import('../run/store.js')).migrate(ctx, args),
    }),
  ],
});
