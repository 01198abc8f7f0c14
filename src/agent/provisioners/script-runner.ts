/**
 * Runs one provisioner script: JSON on stdin, JSON on stdout. The script gets its own session and
 * process group (spawn detached), so a timeout or shutdown kills everything it started, not just
 * the shell; stdout is capped (a runaway script cannot fill memory) and stderr keeps its tail.
 * A process that leaves the group (`setsid`, a double fork) still inherits the run's tag in its
 * environment: on a kill, every process carrying the tag is found in /proc and killed too.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that tags every process of one script run. */
export const RUN_TAG_VAR = 'FERRY_SCRIPT_RUN';

/** Kills every process whose environment carries this run's tag (Linux /proc; elsewhere nothing to scan). */
export function killTagged(tag: string, sig: NodeJS.Signals = 'SIGKILL'): number {
  const needle = Buffer.from(`${RUN_TAG_VAR}=${tag}\0`);
  let killed = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (environ.indexOf(needle) === -1) continue;
    try {
      process.kill(Number(pid), sig);
      killed++;
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}

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
    const tag = randomUUID();
    try {
      child = spawn(path, [], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: { ...(o.env ?? process.env), [RUN_TAG_VAR]: tag } });
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
      // What escaped the group (setsid) still carries the tag.
      killTagged(tag, sig);
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
