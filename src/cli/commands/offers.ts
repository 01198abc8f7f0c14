import { defineCommand, JSON_OPTION, OFFER_FILTERS } from '../define.js';

export default defineCommand({
  name: 'offers',
  description: 'priced server offers matching the filters, cheapest first (says where prices came from)',
  options: [
    ...OFFER_FILTERS,
    { flags: '--offline', description: 'no provider calls: cached or bundled prices only' },
    { flags: '--refresh', description: 'ignore the price cache and read live prices' },
    { flags: '--limit <n>', description: 'show at most this many rows', number: true, default: 30 },
    JSON_OPTION,
  ],
  handler: async (ctx, args) => (await import('../run/offers.js')).run(ctx, args),
});
