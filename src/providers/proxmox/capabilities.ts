import { no, yes, type Capabilities } from '../../core/index.js';

export const PROXMOX_CAPABILITIES: Capabilities = {
  instances: yes('VMs cloned from cloud-init templates; the region is the node, the id the VM id'),
  snapshots: yes('snapshots live inside their VM (ids are <vmid>/<name>) and go when it is destroyed'),
  sshKeys: no('Proxmox VE has no account-wide SSH key store; public keys go to each VM through cloud-init (--ssh-key)'),
  networks: no('Proxmox networks are host bridges and SDN zones set up by the cluster administrator; VMs use the bridge of their template'),
  firewalls: no('the Proxmox firewall (cluster security groups, per-VM rules) is not managed by ferry yet'),
  volumes: no('VM disks come from the template; ferry does not manage extra Proxmox disks'),
  validation: yes(),
  offers: no('self-hosted: Proxmox VE has no price list'),
  reinstallIpxe: no('Proxmox VMs are cloned from templates, not reinstalled over iPXE'),
};
