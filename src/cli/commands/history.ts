import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'history',
  description: 'what ferry did: creates, boots, destroys, snapshots, gc, imports, newest first',
  options: [
    { flags: '--limit <n>', description: 'at most this many events', number: true, default: 20 },
    { flags: '--provider <name>', description: 'only this provider' },
    { flags: '--instance <name>', description: 'only this instance name' },
    { flags: '--since <date>', description: 'only events from this date (ISO 8601, or a duration back such as 7d)' },
    { flags: '--until <date>', description: 'only events before this date' },
    JSON_OPTION,
  ],
  handler: async (ctx, args) => (await import('../run/history.js')).run(ctx, args),
  subcommands: [
    defineCommand({
      name: 'prune',
      description: 'delete events older than a duration, keeping what live servers and unsettled creates still need',
      options: [{ flags: '--older-than <duration>', description: 'e.g. 90d, 12w (required)' }, JSON_OPTION],
      handler: async (ctx, args) => (await import('../run/history.js')).prune(ctx, args),
    }),
  ],
});
