import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'doctor',
  description: 'check credentials, endpoints and the local store',
  options: [{ flags: '--provider <name>', description: 'only this provider (repeatable)', repeatable: true }, JSON_OPTION],
  handler: async (ctx, args) => (await import('../run/doctor.js')).run(ctx, args),
});
