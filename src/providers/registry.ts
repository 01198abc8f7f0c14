import { byCodeUnits, ProviderRegistry, type ProviderDescriptor } from '../core/index.js';
import * as drivers from './drivers.js';
import { PLANNED_PROVIDERS, RETIRED_PROVIDERS } from './planned.js';

/**
 * Every driver of drivers.ts (one line per provider); everything else (CLI, credentials, doctor,
 * capability matrix, emulator wiring, test targets) is derived from these descriptors. Each
 * driver's code loads on first use.
 */
export const DRIVERS: readonly ProviderDescriptor[] = Object.values(drivers).sort((a, b) => byCodeUnits(a.name, b.name));

/** Drivers, then road-map entries not yet driven (dropped once a driver of that name exists), then retired providers. */
export const DEFAULT_PROVIDERS: readonly ProviderDescriptor[] = [...DRIVERS, ...RETIRED_PROVIDERS, ...PLANNED_PROVIDERS];

/** The seed's ProviderRegistry::with_defaults(). */
export function withDefaults(): ProviderRegistry {
  const r = new ProviderRegistry();
  for (const d of DRIVERS) r.register(d);
  for (const d of RETIRED_PROVIDERS) r.register(d);
  for (const d of PLANNED_PROVIDERS) r.registerPlanned(d);
  return r;
}
