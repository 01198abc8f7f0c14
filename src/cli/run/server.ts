/** `ferry server`: the control plane until SIGTERM/SIGINT (runServer closes itself on those; this waits for it). */
import { UserError } from '../../core/errors.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';

export async function run(ctx: Context, args: Args): Promise<number> {
  const port = typeof args.port === 'number' ? args.port : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be 0–65535, got ${port}`);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  const { runServer } = await import('../../server/run.js');
  const server = await runServer({
    host: typeof args.host === 'string' ? args.host : '127.0.0.1',
    port,
    ...(typeof args.databaseUrl === 'string' ? { databaseUrl: args.databaseUrl } : {}),
    env: ctx.env,
    log: (line) => ctx.stdout.write(`${line}\n`),
  });
  await stopped;
  // Idempotent: the server's own signal handler is closing it too.
  await server.close();
  ctx.stderr.write('ferry server stopped\n');
  return 0;
}
