import { createHash } from 'node:crypto';

/** Where ferry's VM ids live: away from the ids PVE hands out by default (100, 101, …). */
export interface VmidRange {
  min: number;
  max: number;
}

export const DEFAULT_VMID_RANGE: Readonly<VmidRange> = Object.freeze({ min: 100_000, max: 999_999 });

/** PVE accepts 100..999999999. */
export function checkRange(r: VmidRange): VmidRange {
  if (!Number.isInteger(r.min) || !Number.isInteger(r.max) || r.min < 100 || r.max > 999_999_999 || r.min > r.max) {
    throw new RangeError(`VM id range ${r.min}-${r.max} must lie within 100-999999999`);
  }
  return r;
}

/**
 * The VM ids a name maps to, in order: a hash of the name into the range, then linear
 * probing. Deterministic, so a retried create of the same name lands on the same id
 * (and finds its earlier attempt) instead of cloning a duplicate.
 */
export function* vmidCandidates(name: string, range: VmidRange = DEFAULT_VMID_RANGE, limit = 64): Generator<number> {
  const span = range.max - range.min + 1;
  const digest = createHash('sha256').update(name).digest();
  const h = digest.readUIntBE(0, 6) % span;
  for (let i = 0; i < Math.min(limit, span); i++) yield range.min + ((h + i) % span);
}
