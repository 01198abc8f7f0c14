import type { Faults } from './types.js';

/** Where a capacity or quota error is raised: a provider, and optionally a region and a size. */
export interface PlacementFault {
  provider: string;
  region?: string;
  size?: string;
  /** Capacity only: servers it still makes before refusing (a spot that runs out mid-fleet); none: refuses every one. */
  room?: number;
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
 * (region or size may be * or left out). A capacity fault may end with the room left there:
 * capacity=hetzner:*:cx22:2 makes two cx22 servers, then refuses.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`fault "${part}" is not key=value; keys: ${[...Object.keys(KEYS), 'capacity', 'quota'].join(', ')}`);
    const key = part.slice(0, eq).toLowerCase();
    const value = part.slice(eq + 1);
    if (key === 'capacity' || key === 'quota') {
      const [provider, region, size, room, ...extra] = value.split(':');
      if (!provider || extra.length || (room !== undefined && (key === 'quota' || !/^\d+$/.test(room)))) {
        throw new Error(`fault "${part}" needs provider[:region[:size]]${key === 'capacity' ? '[:room]' : ''}`);
      }
      const fault: PlacementFault = { provider };
      if (region && region !== '*') fault.region = region;
      if (size && size !== '*') fault.size = size;
      if (room !== undefined) fault.room = Number(room);
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

/** The faults one API raises. A roomed capacity fault's room is this API's own, used up by the creates it lets through. */
export function placementFaults(spec: FaultSpec, provider: string): Faults {
  const matching = (list: PlacementFault[] | undefined, region: string, size: string) =>
    (list ?? []).filter((f) => f.provider === provider && (!f.region || f.region === region) && (!f.size || f.size === size));
  const room = new Map<PlacementFault, number>();
  const left = (f: PlacementFault) => room.get(f) ?? f.room ?? 0;
  return {
    capacity: (region, size, count = 1) => {
      const hits = matching(spec.capacity, region, size);
      if (hits.some((f) => left(f) < Math.max(count, 1))) return true;
      for (const f of hits) room.set(f, left(f) - count);
      return false;
    },
    quota: (region, size) => matching(spec.quota, region, size).length > 0,
  };
}
