import type { Provider, ProviderConfig } from '../../core/index.js';
import { ProxmoxProvider } from './provider.js';

export function createProvider(config: ProviderConfig): Provider {
  return new ProxmoxProvider(config);
}

export { ProxmoxProvider } from './provider.js';
export { ProxmoxClient, PveTaskError, apiBase, type ProxmoxClientOptions, type CloneOptions, type ConfigUpdate } from './client.js';
export { encodeSshKeys } from './create.js';
export { readSettings, type ProxmoxSettings } from './settings.js';
export { vmidCandidates, DEFAULT_VMID_RANGE, type VmidRange } from './vmid.js';
export { parseSize, formatSize, SIZE_PRESETS, type VmShape } from './sizes.js';
export { PROXMOX_CAPABILITIES } from './services.js';
export type * from './schema.js';
export { PROXMOX_CAPABILITIES as capabilities } from './services.js';
