import { ProviderRegistry, type ProviderDescriptor } from '../core/index.js';
import { digitaloceanDescriptor } from './digitalocean/meta.js';
import { awsDescriptor } from './aws/meta.js';
import { hetznerDescriptor } from './hetzner/meta.js';
import { proxmoxDescriptor } from './proxmox/meta.js';
import { PLANNED_PROVIDERS, RETIRED_PROVIDERS } from './planned.js';

/**
 * One line per driver; everything else (CLI, credentials, doctor, capability matrix, emulator
 * wiring, test targets) is derived from these descriptors. Each driver's code loads on first use.
 */
export const DRIVERS: readonly ProviderDescriptor[] = [
  digitaloceanDescriptor,
  hetznerDescriptor,
  proxmoxDescriptor,
  awsDescriptor,
];

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
