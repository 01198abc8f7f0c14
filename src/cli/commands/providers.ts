import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'providers',
  description: 'list the providers ferry knows, which are implemented and how to configure them',
  options: [{ flags: '--capabilities', description: 'show the feature × provider matrix, with the reasons for what is unsupported' }, JSON_OPTION],
  handler: async (ctx, args) => (await import('../run/providers.js')).run(ctx, args),
});
