import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'config',
  description: 'credentials and settings (stored in $XDG_CONFIG_HOME/ferry/credentials.toml, mode 0600)',
  subcommands: [
    defineCommand({
      name: 'set-credentials',
      description: 'store a provider\'s credentials; prompts (without echo) for what the flags do not give',
      args: ['<provider>'],
      options: [
        { flags: '--token <value>', description: 'the API token (lands in shell history: prefer the prompt, --stdin or --from-env)' },
        { flags: '--set <key=value>', description: 'any credential field by key, e.g. --set node=pve1 (repeatable)', repeatable: true },
        { flags: '--endpoint <url>', description: 'API base URL override (e.g. the emulator\'s URL)' },
        { flags: '--from-env', description: 'take the values from their environment variables' },
        { flags: '--stdin', description: 'read the secret from the first line of stdin' },
      ],
      help: 'Environment variables still win over the file, field by field. Secrets typed at the prompt never reach your shell history.',
      handler: async (ctx, args) => (await import('../run/config.js')).setCredentials(ctx, args),
    }),
    defineCommand({
      name: 'show',
      description: 'show where each provider\'s credentials come from (secrets masked)',
      options: [JSON_OPTION],
      handler: async (ctx, args) => (await import('../run/config.js')).show(ctx, args),
    }),
  ],
});
