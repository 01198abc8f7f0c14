import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'gc',
  description: 'reconcile: resolve unconfirmed creates from the journal, find managed instances the inventory does not know',
  options: [
    { flags: '--dry-run', description: 'show what would be done, change nothing' },
    { flags: '--destroy-orphans', description: 'destroy managed instances no inventory row or journal entry accounts for' },
    { flags: '-y, --yes', description: 'do not ask before destroying orphans' },
    { flags: '--provider <name>', description: 'only this provider (repeatable)', repeatable: true },
    JSON_OPTION,
  ],
  help: 'A create journaled but never confirmed (ferry was killed mid-create) is looked up by its create-id label:\nadopted into the inventory when the provider has it, marked failed when it has nothing.',
  handler: async (ctx, args) => (await import('../run/gc.js')).run(ctx, args),
});
