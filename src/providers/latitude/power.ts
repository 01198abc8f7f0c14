/** Power through POST /servers/{id}/actions (power_on, power_off, reboot), waited for by status; an off server still bills. */
import { powerAndWait, type Instance, type OperationOptions, type PowerService } from '../../core/index.js';
import { readInstance, type BareMetalContext } from './bare-metal.js';
import { PROVIDER } from './mapping.js';
import type { LsPowerAction } from './schema.js';

function act(c: BareMetalContext, id: string, action: LsPowerAction, want: 'on' | 'off', o?: OperationOptions): Promise<Instance> {
  return powerAndWait({ provider: PROVIDER, id, action, want, timeouts: c.timeouts, o, send: () => c.client.serverAction(id, action, o), read: () => readInstance(c, id, o) });
}

export function powerService(c: BareMetalContext): PowerService {
  return {
    start: (id, o) => act(c, id, 'power_on', 'on', o),
    stop: (id, o) => act(c, id, 'power_off', 'off', o),
    reboot: (id, o) => act(c, id, 'reboot', 'on', o),
  };
}
