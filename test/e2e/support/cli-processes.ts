/**
 * Long-running `ferry` processes for the CLI end-to-end test (`ferry server`, `ferry agent run`):
 * the real binary spawned with its own environment, its output collected, waited on by pattern,
 * stopped with SIGTERM the way an operator would stop it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../../cli/helpers.js';

export interface FerryProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of the pattern in stdout + stderr. */
  waitFor(pattern: RegExp, limitMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function spawnFerry(args: string[], env: NodeJS.ProcessEnv, cwd?: string): FerryProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  let text = '';
  const listeners = new Set<() => void>();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const onData = (d: Buffer) => {
    text += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    output: () => text,
    waitFor(pattern, limitMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = text.match(pattern);
          if (!m) return;
          cleanup();
          resolve(m);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`ferry ${args.join(' ')}: no ${pattern} within ${limitMs} ms; output:\n${text}`));
        }, limitMs);
        const gone = () => {
          cleanup();
          reject(new Error(`ferry ${args.join(' ')} exited before ${pattern}; output:\n${text}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', gone);
        };
        listeners.add(check);
        child.once('exit', gone);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
