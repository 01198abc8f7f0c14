import { defineCommand } from '../define.js';

export default defineCommand({
  name: 'destroy',
  description: 'destroy instances by name or id, or a fleet `deploy --count` made (asks first unless --yes)',
  args: ['[instances...]'],
  options: [
    { flags: '--fleet <id>', description: 'every server of this fleet: checked with one listing, removed in one call where the provider can' },
    { flags: '-y, --yes', description: 'do not ask for confirmation (required without a terminal)' },
    { flags: '--provider <name>', description: 'look only at this provider' },
  ],
  handler: async (ctx, args) => (await import('../run/destroy.js')).run(ctx, args),
});
