import { ProviderRegistry, type ProviderDescriptor } from '../core/index.js';
import { digitaloceanDescriptor } from './digitalocean/meta.js';
import { hetznerDescriptor } from './hetzner/meta.js';
import { proxmoxDescriptor } from './proxmox/meta.js';
import { PLANNED_PROVIDERS } from './planned.js';

/** One line per driver. Descriptors are tiny; each driver's code loads on first use. */
export const DEFAULT_PROVIDERS: readonly ProviderDescriptor[] = [
  digitaloceanDescriptor,
  hetznerDescriptor,
  proxmoxDescriptor,
  ...PLANNED_PROVIDERS,
];

/** The seed's ProviderRegistry::with_defaults(). */
export function withDefaults(): ProviderRegistry {
  const r = new ProviderRegistry();
  for (const d of DEFAULT_PROVIDERS) r.register(d);
  return r;
}
