/**
 * Test hook for the crash test: FERRY_TEST_CRASH_AFTER=<point> makes the process SIGKILL
 * itself at that point, exactly as a power cut or `kill -9` would, with nothing flushed or
 * cleaned up. The only point is "create-sent": the create request was answered, the journal
 * entry is still pending, nothing is in the inventory.
 */
import type { Context } from './context.js';

export type CrashPoint = 'create-sent';

export function crashPoint(ctx: Context, point: CrashPoint): void {
  if (ctx.env.FERRY_TEST_CRASH_AFTER === point) process.kill(process.pid, 'SIGKILL');
}
