import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'ls',
  description: 'list ferry\'s instances, as the providers report them, merged with the local inventory',
  options: [
    { flags: '--all', description: 'every instance in the accounts, not only ferry\'s' },
    { flags: '--provider <name>', description: 'only this provider (repeatable)', repeatable: true },
    { flags: '--fleet <id>', description: 'only the servers of this fleet (`deploy --count` prints its id)' },
    JSON_OPTION,
  ],
  handler: async (ctx, args) => (await import('../run/ls.js')).run(ctx, args),
});
