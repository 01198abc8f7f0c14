import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'show',
  description: 'details of one instance, by name or id',
  args: ['<instance>'],
  options: [{ flags: '--provider <name>', description: 'look only at this provider' }, JSON_OPTION],
  handler: async (ctx, args) => (await import('../run/show.js')).run(ctx, args),
});
