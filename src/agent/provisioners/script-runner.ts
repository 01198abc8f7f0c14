/**
 * Runs one provisioner script: JSON on stdin, JSON on stdout. The script gets its own process
 * group (spawn detached), so a timeout or shutdown kills everything it started, not just the
 * shell; stdout is capped (a runaway script cannot fill memory) and stderr keeps its tail.
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  input: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** How much of stderr to keep (the end, where the error usually is). */
  maxStderrBytes?: number;
  /** Between SIGTERM and SIGKILL to the group. */
  killGraceMs?: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface RunResult {
  exitCode: number | null;
  /** The signal that ended the script, if any. */
  exitSignal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why the agent ended the script, if it did. */
  killedFor: 'timeout' | 'output_cap' | 'cancelled' | null;
}

export class ScriptSpawnError extends Error {}

export function runScript(path: string, o: RunOptions): Promise<RunResult> {
  const maxStderr = o.maxStderrBytes ?? 8192;
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(path, [], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: o.env ?? process.env });
    } catch (err) {
      reject(new ScriptSpawnError(`cannot run ${path}: ${(err as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = Buffer.alloc(0);
    let killedFor: RunResult['killedFor'] = null;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const killGroup = (why: NonNullable<RunResult['killedFor']>): void => {
      if (killedFor) return;
      killedFor = why;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), o.killGraceMs ?? 2000);
    };
    const signalGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const timeout = setTimeout(() => killGroup('timeout'), o.timeoutMs);
    const onAbort = (): void => killGroup('cancelled');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) onAbort();

    child.stdout.on('data', (chunk: Buffer) => {
      if (killedFor) return;
      outBytes += chunk.length;
      if (outBytes > o.maxOutputBytes) {
        killGroup('output_cap');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = Buffer.concat([err, chunk]);
      if (err.length > maxStderr) err = err.subarray(err.length - maxStderr);
    });
    // A script that does not read its stdin must not crash the agent with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input);

    const finish = (code: number | null, sig: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      o.signal?.removeEventListener('abort', onAbort);
      // The leader is gone; make sure nothing it left behind in its group outlives a kill.
      if (killedFor) signalGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      resolve({ exitCode: code, exitSignal: sig, stdout: Buffer.concat(out).toString('utf8'), stderr: err.toString('utf8'), killedFor });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      o.signal?.removeEventListener('abort', onAbort);
      const hint = e.code === 'EACCES' ? ' (is it executable? chmod +x)' : e.code === 'ENOENT' ? ' (no such file)' : '';
      reject(new ScriptSpawnError(`cannot run ${path}: ${e.code ?? e.message}${hint}`));
    });
    child.on('exit', (code, sig) => {
      // 'close' waits for every holder of the pipes; a background child the script left running
      // may hold them forever, so after a short drain the pipes are cut instead.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, sig);
      }, 500);
      child.once('close', () => {
        clearTimeout(drain);
        finish(code, sig);
      });
    });
  });
}
