/** Power through POST /servers/{id}/actions (power_on, power_off, reboot), waited for by GET ?fields=power; an off server still bills. */
import { pollUntil, ProviderError, type Instance, type OperationOptions, type PowerService } from '../../core/index.js';
import { readInstance, toId, type BareMetalContext } from './bare-metal.js';
import { PROVIDER } from './mapping.js';

async function act(c: BareMetalContext, id: string, type: 'power_on' | 'power_off' | 'reboot', want: 'on' | 'off', o?: OperationOptions): Promise<Instance> {
  const n = toId(id);
  if (n === null) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} not found` });
  await c.client.action(n, { type }, o);
  return pollUntil({
    provider: PROVIDER,
    operation: `${type} of server ${id}`,
    timeoutMs: c.timeouts.actionCompleteMs,
    intervalMs: c.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const inst = await readInstance(c, id, o);
      if (!inst) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} disappeared during ${type}` });
      if (inst.status.raw === want) return inst;
      o?.onProgress?.({ phase: type, message: `${inst.name}: ${inst.status.raw}, waiting for ${want}` });
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
