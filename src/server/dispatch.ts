/**
 * Long-poll wake-up that works across replicas: a waiting pending-provision request re-reads
 * the database every intervalMs (so a contract created through any replica is seen within
 * one interval) and is also woken at once when this replica itself makes a contract dispatchable.
 * A contract entering tear-down (the poll's teardown list) is seen by the same re-read.
 * The local wake-up is only a shortcut; correctness never depends on it.
 */
const nonEmpty = (found: unknown): boolean => Array.isArray(found) && found.length > 0;

export class Dispatcher {
  private readonly waiters = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(readonly intervalMs: number) {}

  notify(provider: string): void {
    const set = this.waiters.get(provider);
    if (!set) return;
    this.waiters.delete(provider);
    for (const wake of set) wake();
  }

  /**
   * Calls check until its answer is ready (by default: a non-empty list), the deadline passes, the
   * client leaves or the server closes; the last answer is returned either way.
   */
  async wait<T>(provider: string, waitMs: number, check: () => Promise<T>, signal: AbortSignal, ready: (found: T) => boolean = nonEmpty): Promise<T> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = await check();
      const left = deadline - Date.now();
      if (ready(found) || left <= 0 || this.closed || signal.aborted) return found;
      await this.sleep(provider, Math.min(this.intervalMs, left), signal);
    }
  }

  private sleep(provider: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(provider);
      if (!set) this.waiters.set(provider, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.get(provider)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** Releases every waiting request (server shutdown). */
  close(): void {
    this.closed = true;
    for (const provider of [...this.waiters.keys()]) this.notify(provider);
  }
}
