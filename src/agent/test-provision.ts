/**
 * `ferry agent test-provision`: provisions one throwaway instance with the configured
 * provisioner (no control plane needed), checks its health, and terminates it unless asked
 * to keep it. The contract id is random, so the instance can never collide with a real one.
 */
import { randomBytes } from 'node:crypto';
import { loadAgentConfig } from './config.js';
import type { ProvisionRequest } from './contract.js';
import { provisionerFor, type AgentOutput } from './setup.js';
import type { ProviderTimeouts } from '../core/index.js';

export interface TestProvisionOptions {
  config: string;
  cpuCores?: number;
  memoryMb?: number;
  storageGb?: number;
  sshPubkey?: string;
  /** Leave the instance running (its external id is printed). */
  keep?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeouts?: Partial<ProviderTimeouts>;
}

export async function agentTestProvision(o: TestProvisionOptions, out: AgentOutput): Promise<number> {
  const config = await loadAgentConfig(o.config, { requireApi: false });
  for (const w of config.warnings) out.write(`warning: ${w}\n`);
  const provisioner = await provisionerFor(config, { ...(o.env ? { env: o.env } : {}), ...(o.timeouts ? { timeouts: o.timeouts } : {}) });
  const req: ProvisionRequest = {
    contractId: randomBytes(32).toString('hex'),
    offeringId: 'test-provision',
    requesterSshPubkey: o.sshPubkey ?? '',
    cpuCores: o.cpuCores ?? 1,
    memoryMb: o.memoryMb ?? 1024,
    storageGb: o.storageGb ?? 10,
    instanceConfig: null,
    provisionerConfig: null,
    postProvisionScript: null,
  };
  const sig = o.signal ? { signal: o.signal } : {};
  out.write(`provisioning a throwaway instance for test contract ${req.contractId.slice(0, 16)}… with the ${provisioner.type} provisioner\n`);
  const started = Date.now();
  const outcome = await provisioner.provision(req, sig);
  if (outcome.kind === 'pending_manual') {
    out.write(`✓ manual provisioner: ${outcome.message}\n`);
    return 0;
  }
  const i = outcome.instance;
  out.write(`✓ provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s: ${i.externalId}${i.ipAddress ? ` at ${i.ipAddress}` : ''}${i.ipv6Address ? ` / ${i.ipv6Address}` : ''}, ssh port ${i.sshPort ?? 22}${i.rootPassword ? ', root password set' : ''}\n`);
  const health = await provisioner.healthCheck(i.externalId, sig);
  out.write(`${health.status === 'healthy' ? '✓' : '✗'} health: ${health.status}${health.details ? ` (${health.details})` : ''}\n`);
  if (o.keep) {
    out.write(`kept ${i.externalId}; remove it yourself when done\n`);
    return health.status === 'unhealthy' ? 1 : 0;
  }
  await provisioner.terminate(i.externalId, sig);
  out.write(`✓ terminated ${i.externalId}\n`);
  return health.status === 'unhealthy' ? 1 : 0;
}
