import type { Faults } from './types.js';

/** Where a capacity or quota error is raised: a provider, and optionally a region and a size. */
export interface PlacementFault {
  provider: string;
  region?: string;
  size?: string;
}

export interface FaultSpec {
  /** Probability that a request is answered 5xx before anything is applied. */
  error5xx?: number;
  /** Probability of an injected 429. */
  rate429?: number;
  /** Probability that a mutating request's connection is cut after the change was applied. */
  resetAfterCommit?: number;
  /** Probability that a response is delayed by slowMs (real milliseconds). */
  slow?: number;
  slowMs?: number;
  capacity?: PlacementFault[];
  quota?: PlacementFault[];
}

const KEYS: Record<string, keyof FaultSpec> = {
  '5xx': 'error5xx',
  '429': 'rate429',
  reset: 'resetAfterCommit',
  slow: 'slow',
  slowms: 'slowMs',
};

/**
 * "5xx=0.1,429=0.05,reset=0.02,slow=0.1,slowMs=200,capacity=hetzner:fsn1:cx22,quota=digitalocean:*:s-1vcpu-1gb"
 * (region or size may be * or left out).
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`fault "${part}" is not key=value; keys: ${[...Object.keys(KEYS), 'capacity', 'quota'].join(', ')}`);
    const key = part.slice(0, eq).toLowerCase();
    const value = part.slice(eq + 1);
    if (key === 'capacity' || key === 'quota') {
      const [provider, region, size] = value.split(':');
      if (!provider) throw new Error(`fault "${part}" needs provider[:region[:size]]`);
      const fault: PlacementFault = { provider };
      if (region && region !== '*') fault.region = region;
      if (size && size !== '*') fault.size = size;
      (spec[key] ??= []).push(fault);
      continue;
    }
    const field = KEYS[key];
    const n = Number(value);
    if (!field || !Number.isFinite(n) || n < 0 || (field !== 'slowMs' && n > 1)) {
      throw new Error(`fault "${part}" is not valid; keys: ${Object.keys(KEYS).join(', ')}, capacity, quota; rates are 0..1`);
    }
    (spec as Record<string, number>)[field] = n;
  }
  return spec;
}

export function placementFaults(spec: FaultSpec, provider: string): Faults {
  const hit = (list: PlacementFault[] | undefined, region: string, size: string) =>
    (list ?? []).some((f) => f.provider === provider && (!f.region || f.region === region) && (!f.size || f.size === size));
  return {
    capacity: (region, size) => hit(spec.capacity, region, size),
    quota: (region, size) => hit(spec.quota, region, size),
  };
}
