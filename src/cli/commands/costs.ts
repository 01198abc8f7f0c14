import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'costs',
  description: 'spend at the price recorded at launch (never today\'s catalog), by provider, month, region or label',
  options: [
    { flags: '--by <dimension>', description: 'provider (default), month, region, or label:<key> (e.g. label:owner for per-user costs)' },
    { flags: '--provider <name>', description: 'only this provider' },
    { flags: '--since <date>', description: 'only time from this date (ISO 8601)' },
    { flags: '--until <date>', description: 'only time before this date (ISO 8601)' },
    { flags: '--instances', description: 'also list each instance' },
    JSON_OPTION,
    { flags: '--csv', description: 'print CSV instead of a table' },
  ],
  help: 'Hours alive × the hourly price at launch, capped at the monthly price within each calendar month (UTC). Currencies are never added together.',
  handler: async (ctx, args) => (await import('../run/costs.js')).run(ctx, args),
});
