/**
 * Ctrl-C during a command that creates servers: before exiting 130, say what was left behind
 * (a server still booting, a create that may have happened) and which command resolves it.
 */
import type { Context } from './context.js';
import { EXIT } from './errors.js';
import { flushOutput } from './stdio.js';

/** Installs the SIGINT handler; `left` says what the interruption leaves. Returns the uninstaller. */
export function onInterrupt(ctx: Context, left: () => string): () => void {
  const handler = () => {
    ctx.stderr.write(`\ninterrupted: ${left()}\n`);
    void flushOutput(EXIT.interrupted).then((code) => process.exit(code));
  };
  process.once('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}
