/** Power through POST /servers/{id}/actions (power_on, power_off, reboot), waited for by GET ?fields=power; an off server still bills. */
import { powerAndWait, ProviderError, type Instance, type OperationOptions, type PowerService } from '../../core/index.js';
import { readInstance, toId, type BareMetalContext } from './bare-metal.js';
import { PROVIDER } from './mapping.js';

async function act(c: BareMetalContext, id: string, action: 'power_on' | 'power_off' | 'reboot', want: 'on' | 'off', o?: OperationOptions): Promise<Instance> {
  const n = toId(id);
  if (n === null) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `server ${id} not found` });
  return powerAndWait({ provider: PROVIDER, id, action, want, timeouts: c.timeouts, o, send: () => c.client.action(n, { type: action }, o), read: () => readInstance(c, id, o) });
}

export function powerService(c: BareMetalContext): PowerService {
  return {
    start: (id, o) => act(c, id, 'power_on', 'on', o),
    stop: (id, o) => act(c, id, 'power_off', 'off', o),
    reboot: (id, o) => act(c, id, 'reboot', 'on', o),
  };
}
