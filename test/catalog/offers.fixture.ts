import type { Offer } from '../../src/core/index.js';

/** A well-formed live offer; tests override only the fields they are about. */
export function offer(over: Partial<Offer> = {}): Offer {
  return {
    provider: 'hetzner',
    plan: 'cx22',
    region: 'fsn1',
    vcpus: 2,
    memoryGb: 4,
    diskGb: 40,
    gpu: null,
    gpuCount: 0,
    priceHourly: 0.006,
    priceMonthly: 3.79,
    currency: 'EUR',
    bareMetal: false,
    leadTimeHours: 0,
    source: 'live',
    fetchedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
