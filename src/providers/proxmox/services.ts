/** What the Proxmox driver does and does not, with the reasons; capabilities are derived from it. */
import { capabilitiesOf, no, provide, ProviderError, type Instance, type OperationOptions, type ServiceDeclarations } from '../../core/index.js';
import { PROVIDER } from './mapping.js';
import type { ProxmoxProvider } from './provider.js';

/** Runs a status task (start, stop, reboot) on the VM's node, waits for it, and reads the VM again. */
async function power(p: ProxmoxProvider, id: string, what: 'start' | 'stop' | 'reboot', o?: OperationOptions): Promise<Instance> {
  const vmid = /^\d{3,9}$/.test(id.trim()) ? Number(id.trim()) : null;
  const node = vmid === null ? null : await p.locate(vmid, o);
  const gone = () => new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: id, message: `VM ${id} does not exist` });
  if (vmid === null || !node) throw gone();
  const upid = await p.client[what](node, vmid, o);
  await p.client.waitTask(upid, `${what} of VM ${vmid}`, o);
  const inst = await p.instanceAt(vmid, node, o);
  if (!inst) throw gone();
  return inst;
}

export const PROXMOX_SERVICES: ServiceDeclarations<ProxmoxProvider> = {
  snapshots: provide('snapshots live inside their VM (ids are <vmid>/<name>) and go when it is destroyed', (p) => ({
    create: (instanceId, name, o) => p.snapshotCreate(instanceId, name, o),
    list: (o) => p.snapshotList(o),
    delete: (id, o) => p.snapshotDelete(id, o),
  })),
  sshKeys: no('Proxmox VE has no account-wide SSH key store; public keys go to each VM through cloud-init (--ssh-key)'),
  networks: no('Proxmox networks are host bridges and SDN zones set up by the cluster administrator; VMs use the bridge of their template'),
  firewalls: no('the Proxmox firewall (cluster security groups, per-VM rules) is not managed by ferry yet'),
  volumes: no('VM disks come from the template; ferry does not manage extra Proxmox disks'),
  power: provide('qemu status/start, status/stop (hard power-off), status/reboot tasks; a stopped VM keeps its disks and memory reservation', (p) => ({
    start: (id, o) => power(p, id, 'start', o),
    stop: (id, o) => power(p, id, 'stop', o),
    reboot: (id, o) => power(p, id, 'reboot', o),
  })),
  validation: provide('sizes are "<cores>c-<memory>g[-<disk>g]"; regions are the cluster\'s nodes; credentials by GET /version', (p) => ({
    instanceType: (size, o) => p.checkSize(size, o),
    region: (region, o) => p.checkRegion(region, o),
    credentials: (o) => p.checkCredentials(o),
  })),
  offers: no('self-hosted: Proxmox VE has no price list; declare its cost in the custom price file'),
  reinstallIpxe: no('Proxmox VMs are cloned from templates, not reinstalled over iPXE'),
  batchCreate: no('each VM is its own clone task'),
  batchDestroy: no('each VM is destroyed by its own task'),
};

export const PROXMOX_CAPABILITIES = capabilitiesOf(PROXMOX_SERVICES);
