import type { ApiFactory } from './engine/index.js';

/** One line per emulated provider API; loaded lazily so `ferry --help` stays fast. */
export const EMULATED_APIS: Record<string, () => Promise<ApiFactory>> = {
  digitalocean: async () => (await import('./digitalocean/index.js')).createDigitalOceanApi,
  hetzner: async () => (await import('./hetzner/index.js')).createHetznerApi,
  proxmox: async () => (await import('./proxmox/index.js')).createProxmoxApi,
  aws: async () => (await import('./aws/index.js')).createApi,
};
