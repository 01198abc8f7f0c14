/** A value read at most once per TTL (catalog lists a fleet of creates shares); a failed read is not kept. */
export class TtlCache<T, A extends unknown[] = []> {
  private value: Promise<T> | undefined;
  private at = 0;

  constructor(
    private readonly load: (...args: A) => Promise<T>,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(...args: A): Promise<T> {
    if (!this.value || this.now() - this.at > this.ttlMs) {
      this.at = this.now();
      const p = this.load(...args);
      p.catch(() => {
        if (this.value === p) this.value = undefined;
      });
      this.value = p;
    }
    return this.value;
  }

  clear(): void {
    this.value = undefined;
  }
}
