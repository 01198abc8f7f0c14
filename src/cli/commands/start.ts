import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'start',
  description: 'power on an instance and wait until it runs',
  args: ['<instance>'],
  options: [{ flags: '--provider <name>', description: 'look only at this provider' }, JSON_OPTION],
  handler: async (ctx, args) => (await import('../run/power.js')).run(ctx, args, 'start'),
});
