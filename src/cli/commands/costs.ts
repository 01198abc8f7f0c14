import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'costs',
  description: 'estimated spend: hours alive × price at launch, per instance and totals by provider',
  options: [{ flags: '--provider <name>', description: 'only this provider' }, { flags: '--since <date>', description: 'only time after this date (ISO 8601)' }, JSON_OPTION],
  handler: async (ctx, args) => (await import('../run/costs.js')).run(ctx, args),
});
