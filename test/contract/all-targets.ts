/** Every implemented provider's contract row, found through the registry: none is listed by hand. */
import { withDefaults } from '../../src/providers/registry.js';
import type { ContractTarget } from './targets.js';

export function implementedProviders(): string[] {
  return withDefaults().implementedProviders();
}

/** test/providers/<name>/contract-target.ts of a provider; an error naming the file when it is missing. */
export async function contractTarget(provider: string): Promise<ContractTarget> {
  const mod = (await import(`../providers/${provider}/contract-target.js`).catch((err: unknown) => {
    throw new Error(`test/providers/${provider}/contract-target.ts is missing or broken: ${(err as Error).message}`);
  })) as { target?: ContractTarget };
  if (!mod.target || mod.target.provider !== provider) throw new Error(`test/providers/${provider}/contract-target.ts must export target for ${provider}`);
  return mod.target;
}

export async function allTargets(): Promise<ContractTarget[]> {
  return Promise.all(implementedProviders().map(contractTarget));
}
