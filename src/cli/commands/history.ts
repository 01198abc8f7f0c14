import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'history',
  description: 'what ferry did: creates, boots, destroys, snapshots, gc, newest first',
  options: [
    { flags: '--limit <n>', description: 'at most this many events', number: true, default: 20 },
    { flags: '--provider <name>', description: 'only this provider' },
    { flags: '--instance <name>', description: 'only this instance name' },
    JSON_OPTION,
  ],
  handler: async (ctx, args) => (await import('../run/history.js')).run(ctx, args),
});
