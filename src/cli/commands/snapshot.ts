import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'snapshot',
  description: 'snapshots of ferry\'s instances',
  subcommands: [
    defineCommand({
      name: 'create',
      description: 'snapshot an instance',
      args: ['<instance>'],
      options: [{ flags: '--name <name>', description: 'snapshot name (default: <instance>-<date>)' }, { flags: '--provider <name>', description: 'look only at this provider' }, JSON_OPTION],
      handler: async (ctx, args) => (await import('../run/snapshot.js')).create(ctx, args),
    }),
    defineCommand({
      name: 'ls',
      description: 'list ferry\'s snapshots',
      options: [{ flags: '--provider <name>', description: 'only this provider (repeatable)', repeatable: true }, JSON_OPTION],
      handler: async (ctx, args) => (await import('../run/snapshot.js')).list(ctx, args),
    }),
    defineCommand({
      name: 'rm',
      description: 'delete a snapshot by id',
      args: ['<id>'],
      options: [{ flags: '--provider <name>', description: 'the snapshot\'s provider (needed when several are configured)' }],
      handler: async (ctx, args) => (await import('../run/snapshot.js')).remove(ctx, args),
    }),
  ],
});
