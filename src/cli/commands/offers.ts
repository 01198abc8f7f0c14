import { defineCommand, JSON_OPTION, OFFER_FILTERS } from '../define.js';

export default defineCommand({
  name: 'offers',
  description: 'priced server offers from every provider in one ranking, cheapest first (says where prices came from)',
  options: [
    ...OFFER_FILTERS,
    { flags: '--sort <key>', description: 'price (default), price-per-vcpu or price-per-gb' },
    { flags: '--group-by <key>', description: 'provider, region or gpu' },
    { flags: '--compare', description: 'the cheapest fit of each provider, side by side' },
    { flags: '--rates <file>', description: 'install a newer currency rate table (JSON: asOf, source, usdPer) and rank with it' },
    { flags: '--offline', description: 'no provider calls: cached or bundled prices only' },
    { flags: '--refresh', description: 'ignore the price cache and read live prices' },
    { flags: '--limit <n>', description: 'show at most this many rows (per group with --group-by)', number: true, default: 30 },
    JSON_OPTION,
  ],
  help: 'Prices stay in their currency; the ranking column converts them with a dated rate table over --hours (setup fees, monthly billing, minimum terms and extras included). Your price file (FERRY_PRICES or <config>/prices.json) adds offers and discounts.',
  handler: async (ctx, args) => (await import('../run/offers.js')).run(ctx, args),
});
