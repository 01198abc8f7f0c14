/**
 * Power through POST /{instances|bare-metals}/{id}/halt|start|reboot (204 at once); each call then
 * polls the machine until its state shows the change. A halted server still bills: Vultr charges
 * until it is destroyed.
 */
import { pollUntil, ProviderError, type Instance, type InstanceState, type OperationOptions, type PowerService, type ProviderTimeouts } from '../../core/index.js';
import type { MachineApi, VultrClient } from './client.js';
import type { MachineLocator } from './machines.js';
import { machineToInstance } from './mapping.js';

interface PowerContext {
  client: VultrClient;
  machines: MachineLocator;
  timeouts: ProviderTimeouts;
}

export async function locate(c: PowerContext, id: string, o?: OperationOptions): Promise<MachineApi> {
  const found = await c.machines.find(id, o);
  if (!found) throw new ProviderError({ kind: 'not_found', provider: 'vultr', subject: id, message: `vultr server ${id} not found` });
  return found.api;
}

/** Polls until the machine reaches `want` (a reboot first leaves ok, so its start is awaited too). */
export async function waitForState(c: PowerContext, api: MachineApi, id: string, want: InstanceState, what: string, o?: OperationOptions): Promise<Instance> {
  return pollUntil({
    provider: 'vultr',
    operation: `${what} of ${id}`,
    timeoutMs: api === 'bare-metals' ? Math.max(c.timeouts.actionCompleteMs, c.timeouts.instanceReadyMs) : c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const m = await c.client.getMachine(api, id, o);
      if (!m) throw new ProviderError({ kind: 'not_found', provider: 'vultr', subject: id, message: `vultr server ${id} disappeared during ${what}` });
      const inst = machineToInstance(m);
      if (inst.status.state === want) return inst;
      o?.onProgress?.({ phase: what, message: `${inst.name}: ${inst.status.raw}` });
      return undefined;
    },
  });
}

export function powerService(c: PowerContext): PowerService {
  const act = async (id: string, action: 'halt' | 'start' | 'reboot', want: InstanceState, o?: OperationOptions) => {
    const api = await locate(c, id, o);
    await c.client.machineAction(api, id, action, o);
    return waitForState(c, api, id, want, action, o);
  };
  return {
    start: (id, o) => act(id, 'start', 'active', o),
    stop: (id, o) => act(id, 'halt', 'off', o),
    reboot: (id, o) => act(id, 'reboot', 'active', o),
  };
}
