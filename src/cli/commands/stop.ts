import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'stop',
  description: 'power off an instance and wait until it is off (says what a stopped server costs)',
  args: ['<instance>'],
  options: [{ flags: '--provider <name>', description: 'look only at this provider' }, JSON_OPTION],
  handler: async (ctx, args) => (await import('../run/power.js')).run(ctx, args, 'stop'),
});
