import { defineCommand } from '../define.js';

export default defineCommand({
  name: 'server',
  description: 'run the control plane: the market API, the agents\' endpoints and the operator dashboard',
  options: [
    { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1' },
    { flags: '--port <port>', description: 'port to listen on (0: a free one)', number: true, default: 8080 },
    { flags: '--database-url <url>', description: 'postgres://… (replicas share one) or a SQLite path (default $FERRY_DATABASE_URL, else the local store)' },
  ],
  help: [
    'Runs until SIGTERM or Ctrl-C. The OpenAPI document is served at /openapi.json, the dashboard at /.',
    'FERRY_OPERATOR_TOKEN sets the dashboard sign-in token (give every replica the same one); without it a random token is printed.',
  ].join('\n'),
  handler: async (ctx, args) => (await import('../run/server.js')).run(ctx, args),
});
