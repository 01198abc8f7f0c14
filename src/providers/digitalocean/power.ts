/** Power through droplet actions (power_on, shutdown, reboot), each waited for; a powered-off droplet still bills. */
import { ProviderError, type Instance, type OperationOptions, type PowerService, type ProviderTimeouts } from '../../core/index.js';
import { startWhenIdle, waitForAction } from './actions.js';
import type { DoClient } from './client.js';
import { dropletToInstance, PROVIDER } from './mapping.js';

export interface PowerContext {
  client: DoClient;
  timeouts: ProviderTimeouts;
}

async function act(c: PowerContext, id: string, type: 'power_on' | 'shutdown' | 'power_off' | 'reboot', o?: OperationOptions): Promise<Instance> {
  const what = `${type} of droplet ${id}`;
  const action = await startWhenIdle(c.timeouts, what, () => c.client.dropletAction(id, { type }, o), o);
  await waitForAction(c.client, c.timeouts, action, what, o);
  const d = await c.client.getDroplet(id, o);
  if (!d) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `droplet ${id} disappeared during ${type}` });
  return dropletToInstance(d);
}

export function powerService(c: PowerContext): PowerService {
  return {
    start: (id, o) => act(c, id, 'power_on', o),
    // A hard power_off: the emulated and real APIs both accept it; shutdown may hang on a guest without ACPI.
    stop: (id, o) => act(c, id, 'power_off', o),
    reboot: (id, o) => act(c, id, 'reboot', o),
  };
}
