/**
 * One driver name covers cloud instances and bare metal. Their ids are both UUIDs with nothing
 * that tells them apart, so an id is looked up in /instances first, then in /bare-metals; the
 * answer is remembered per id (ids are never reused), so later calls go straight to the owner.
 * A create knows its API from the plan (cloud plans vs bare-metal plans) and records it at once.
 */
import type { OperationOptions } from '../../core/index.js';
import type { MachineApi, VultrClient, VuMachine } from './client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Vultr ids are UUIDs; anything else cannot exist, so no request is sent for it. */
export const isVultrId = (id: string) => UUID.test(id);

export class MachineLocator {
  private readonly owner = new Map<string, MachineApi>();

  constructor(private readonly client: VultrClient) {}

  remember(id: string, api: MachineApi): void {
    this.owner.set(id, api);
  }

  /** The machine and the API that owns it, or null when neither has it. */
  async find(id: string, o?: OperationOptions): Promise<{ api: MachineApi; machine: VuMachine } | null> {
    if (!isVultrId(id)) return null;
    const known = this.owner.get(id);
    const order: MachineApi[] = known ? [known, known === 'instances' ? 'bare-metals' : 'instances'] : ['instances', 'bare-metals'];
    for (const api of order) {
      const machine = await this.client.getMachine(api, id, o);
      if (machine) {
        this.owner.set(id, api);
        return { api, machine };
      }
    }
    this.owner.delete(id);
    return null;
  }
}
