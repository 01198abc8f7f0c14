/** Wiring shared by `ferry agent run | doctor | test-provision`: the signed client, the provisioner, the state file. */
import type { ProviderTimeouts } from '../core/index.js';
import { UserError } from '../core/errors.js';
import type { Fetch } from '../core/fetch.js';
import { ControlPlaneClient } from '../protocol/client.js';
import type { AgentConfig, ApiConfig } from './config.js';
import { createProvisioner } from './provisioners/index.js';
import { passwordSeedFromKey, randomPasswordSeed } from './provisioners/passwords.js';
import type { Provisioner } from './provisioners/types.js';
import { defaultStateDir, StateFile } from './state.js';

/** Where the agent writes; structurally the CLI's Writer. */
export interface AgentOutput {
  write(text: string): void;
}

export function requireApi(config: AgentConfig): ApiConfig {
  if (!config.api) throw new UserError(`${config.file}: the [api] table is required to run the agent`, 'add [api] endpoint and provider_secret_key (see the seed example)');
  return config.api;
}

/** With agentInstanceId (the state file's), leases are held per agent process rather than per key. */
export function controlPlaneClient(api: ApiConfig, o: { fetch?: Fetch; agentInstanceId?: string; signal?: AbortSignal } = {}): ControlPlaneClient {
  return new ControlPlaneClient({
    baseUrl: api.endpoint,
    secretKey: api.signingKey,
    role: api.role,
    providerPubkey: api.providerPubkey,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.agentInstanceId ? { agentInstanceId: o.agentInstanceId } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

export interface ProvisionerSetup {
  env?: NodeJS.ProcessEnv;
  timeouts?: Partial<ProviderTimeouts>;
}

/** FERRY_TIME_SCALE, the emulator's clock speed-up the whole of ferry follows (1 when unset). */
export function timeScaleOf(env: NodeJS.ProcessEnv): number {
  const raw = env.FERRY_TIME_SCALE;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`FERRY_TIME_SCALE must be a positive number, got "${raw}"`);
  return n;
}

export function provisionerFor(config: AgentConfig, o: ProvisionerSetup = {}): Promise<Provisioner> {
  const scale = timeScaleOf(o.env ?? process.env);
  return createProvisioner(config.provisioner, {
    ...(scale > 1 ? { timeScale: scale } : {}),
    // Derived from the signing key, so a restarted agent reports the same password for a VM it adopts.
    passwordSeed: config.api ? passwordSeedFromKey(config.api.signingKey) : randomPasswordSeed(),
    ...(config.api ? { dashboardUrl: config.api.endpoint } : {}),
    ...(o.timeouts ? { timeouts: o.timeouts } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
}

export function stateFileFor(config: AgentConfig, api: ApiConfig, o: { stateDir?: string; env?: NodeJS.ProcessEnv } = {}): StateFile {
  return StateFile.forProvider(o.stateDir ?? config.stateDir ?? defaultStateDir(o.env), api.providerPubkey);
}
