/** Power through POST /servers/{id}/actions (power_on, power_off, reboot), waited for by status; an off server still bills. */
import { pollUntil, ProviderError, type Instance, type OperationOptions, type PowerService } from '../../core/index.js';
import type { BareMetalContext } from './bare-metal.js';
import { PROVIDER, serverToInstance } from './mapping.js';
import type { LsPowerAction } from './schema.js';

async function act(c: BareMetalContext, id: string, action: LsPowerAction, want: 'on' | 'off', o?: OperationOptions): Promise<Instance> {
  await c.client.serverAction(id, action, o);
  return pollUntil({
    provider: PROVIDER,
    operation: `${action} of server ${id}`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const s = await c.client.getServer(id, o);
      if (!s) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} disappeared during ${action}` });
      const inst = serverToInstance(s);
      if (inst.status.raw === want) return inst;
      o?.onProgress?.({ phase: action, message: `${inst.name}: ${inst.status.raw}, waiting for ${want}` });
      return undefined;
    },
  });
}

export function powerService(c: BareMetalContext): PowerService {
  return {
    start: (id, o) => act(c, id, 'power_on', 'on', o),
    stop: (id, o) => act(c, id, 'power_off', 'off', o),
    reboot: (id, o) => act(c, id, 'reboot', 'on', o),
  };
}
