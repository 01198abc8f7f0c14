/** Builds the configured provisioner. */
import type { ProviderTimeouts } from '../../core/index.js';
import type { ProvisionerConfig } from '../config.js';
import { CloudProvisioner } from './cloud.js';
import { ManualProvisioner } from './manual.js';
import { ProxmoxProvisioner } from './proxmox.js';
import { ScriptProvisioner } from './script.js';
import type { Provisioner } from './types.js';

export interface ProvisionerDeps {
  /** Seed of the derived root passwords (see passwords.ts). */
  passwordSeed: Uint8Array;
  /** Polling and wait limits for proxmox/cloud; tests shorten them. */
  timeouts?: Partial<ProviderTimeouts>;
  /** How much faster than real time the provider's clock runs (a time-scaled emulator): retries and polls follow it. */
  timeScale?: number;
  /** Dashboard base URL for the manual provisioner's notification. */
  dashboardUrl?: string;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

export async function createProvisioner(config: ProvisionerConfig, deps: ProvisionerDeps): Promise<Provisioner> {
  switch (config.type) {
    case 'proxmox':
      return new ProxmoxProvisioner(config, { passwordSeed: deps.passwordSeed, ...(deps.timeouts ? { timeouts: deps.timeouts } : {}), ...(deps.timeScale ? { timeScale: deps.timeScale } : {}) });
    case 'script':
      return new ScriptProvisioner(config, deps.env);
    case 'manual':
      return new ManualProvisioner(config, { ...(deps.dashboardUrl ? { dashboardUrl: deps.dashboardUrl } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    case 'cloud':
      return CloudProvisioner.create(config, {
        passwordSeed: deps.passwordSeed,
        ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
        ...(deps.timeScale ? { http: { timeScale: deps.timeScale } } : {}),
        ...(deps.env ? { env: deps.env } : {}),
      });
  }
}

export type { Provisioner, ProvisionOutcome, InstanceInfo, HealthResult, RunningInstance } from './types.js';
export { ProvisionError } from './types.js';
