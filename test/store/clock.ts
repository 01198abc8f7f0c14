/** A hand-driven clock for the store's injectable `now`. */
export class FakeClock {
  private ms: number;
  constructor(start = '2025-03-01T00:00:00.000Z') {
    this.ms = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.ms);
  advanceHours(hours: number): void {
    this.ms += hours * 3_600_000;
  }
  advanceMs(ms: number): void {
    this.ms += ms;
  }
  iso(): string {
    return new Date(this.ms).toISOString();
  }
}
