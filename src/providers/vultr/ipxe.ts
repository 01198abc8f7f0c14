/**
 * Reinstall into iPXE, for cloud instances and bare metal alike: PATCH the machine with os_id 159
 * ("Custom") and the ipxe_chain_url, which wipes it and boots the iPXE script; then wait until
 * it is up again, reporting the stages. (ipxe_chain_url is documented on create; its use on the
 * update follows the bare-metal design note — see schema.ts.)
 */
import { checkIpxeUrl, type IpxeService, type ProviderTimeouts } from '../../core/index.js';
import { IPXE_OS_ID } from './catalog.js';
import type { VultrClient } from './client.js';
import type { MachineLocator } from './machines.js';
import { locate, waitForState } from './power.js';

export function ipxeService(c: { client: VultrClient; machines: MachineLocator; timeouts: ProviderTimeouts }): IpxeService {
  return {
    async reinstall(id, ipxeUrl, o) {
      checkIpxeUrl(ipxeUrl, "Vultr's iPXE");
      const api = await locate(c, id, o);
      o?.onProgress?.({ phase: 'reinstall', message: `${id}: reinstalling with iPXE from ${ipxeUrl}` });
      // The spec types the instance update's os_id as a string and the bare-metal update's as an integer.
      const osId = api === 'instances' ? String(IPXE_OS_ID) : IPXE_OS_ID;
      await c.client.updateMachine(api, id, { os_id: osId, ipxe_chain_url: ipxeUrl }, o);
      await waitForState(c, api, id, 'active', 'reinstall', o);
    },
  };
}
