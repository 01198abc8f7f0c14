/** Power through boot, shutdown and reboot, each waited for through its event; a Linode that is off still bills. */
import { ProviderError, type Instance, type OperationOptions, type PowerService, type ProviderTimeouts } from '../../core/index.js';
import type { LinodeClient } from './client.js';
import { waitForEvent } from './events.js';
import { linodeToInstance } from './mapping.js';

export interface PowerContext {
  client: LinodeClient;
  timeouts: ProviderTimeouts;
}

const isNumericId = (id: string) => /^[1-9]\d{0,15}$/.test(id);

function missing(id: string, action: string): ProviderError {
  return new ProviderError({ kind: 'not_found', provider: 'linode', subject: id, message: `linode ${id} not found (${action})` });
}

async function act(c: PowerContext, id: string, action: 'boot' | 'shutdown' | 'reboot', o?: OperationOptions): Promise<Instance> {
  if (!isNumericId(id)) throw missing(id, action);
  await c.client.linodeAction(id, action, o);
  await waitForEvent(c.client, { entityType: 'linode', entityId: Number(id), action: `linode_${action}` }, c.timeouts, o);
  const l = await c.client.getLinode(id, o);
  if (!l) throw missing(id, `it disappeared during ${action}`);
  return linodeToInstance(l);
}

export function powerService(c: PowerContext): PowerService {
  return {
    start: (id, o) => act(c, id, 'boot', o),
    stop: (id, o) => act(c, id, 'shutdown', o),
    reboot: (id, o) => act(c, id, 'reboot', o),
  };
}
