/** Power through server actions (poweron, poweroff, reboot), each waited for; a server that is off still bills. */
import { ProviderError, type Instance, type OperationOptions, type PowerService, type ProviderTimeouts } from '../../core/index.js';
import { waitForAction } from './actions.js';
import type { HetznerClient } from './client.js';
import { serverToInstance } from './mapping.js';

export interface PowerContext {
  client: HetznerClient;
  timeouts: ProviderTimeouts;
}

async function act(c: PowerContext, id: string, action: 'poweron' | 'poweroff' | 'reboot', o?: OperationOptions): Promise<Instance> {
  await waitForAction(c.client, await c.client.serverAction(id, action, o), c.timeouts, o);
  const s = await c.client.getServer(id, o);
  if (!s) throw new ProviderError({ kind: 'not_found', provider: 'hetzner', subject: id, message: `server ${id} disappeared during ${action}` });
  return serverToInstance(s);
}

export function powerService(c: PowerContext): PowerService {
  return {
    start: (id, o) => act(c, id, 'poweron', o),
    stop: (id, o) => act(c, id, 'poweroff', o),
    reboot: (id, o) => act(c, id, 'reboot', o),
  };
}
