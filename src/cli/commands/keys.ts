import { defineCommand, JSON_OPTION } from '../define.js';

export default defineCommand({
  name: 'keys',
  description: 'your Ed25519 key for the market: it signs your requests and opens your instances\' credentials',
  subcommands: [
    defineCommand({
      name: 'generate',
      description: 'create the key ($XDG_CONFIG_HOME/ferry/keys/ferry_ed25519, mode 0600, or $FERRY_KEY_FILE)',
      options: [{ flags: '--force', description: 'replace an existing key (what was tied to it stays with the old key)' }, JSON_OPTION],
      handler: async (ctx, args) => (await import('../run/keys.js')).generate(ctx, args),
    }),
    defineCommand({
      name: 'show',
      description: 'print the public key (the secret is never printed)',
      options: [JSON_OPTION],
      handler: async (ctx, args) => (await import('../run/keys.js')).show(ctx, args),
    }),
  ],
});
