import type { ProviderDescriptor } from '../../core/index.js';

export const proxmoxDescriptor: ProviderDescriptor = {
  name: 'proxmox',
  title: 'Proxmox VE',
  kind: 'hypervisor',
  credentials: [
    // Not required: FERRY_PROXMOX_ENDPOINT (the emulator) stands in for it; the driver checks one is set.
    { key: 'url', env: 'PROXMOX_URL', secret: false, required: false, description: 'API URL, e.g. https://pve.example:8006' },
    { key: 'tokenId', env: 'PROXMOX_TOKEN_ID', secret: false, required: true, description: 'API token id, USER@REALM!TOKENID', example: 'root@pam!ferry' },
    { key: 'tokenSecret', env: 'PROXMOX_TOKEN_SECRET', secret: true, required: true, description: 'API token secret (a UUID)', example: '00000000-0000-4000-8000-000000000000' },
    { key: 'node', env: 'PROXMOX_NODE', secret: false, required: false, description: 'default node (region)' },
    { key: 'templateVmid', env: 'PROXMOX_TEMPLATE_VMID', secret: false, required: false, description: 'template VM id used for --image default' },
    { key: 'storage', env: 'PROXMOX_STORAGE', secret: false, required: false, description: 'target storage of full clones, e.g. local-lvm' },
    // Driver options a CLI user must be able to set: a stock PVE serves a self-signed certificate,
    // and raw user data goes through a cicustom snippet.
    { key: 'verifyTls', env: 'PROXMOX_VERIFY_TLS', secret: false, required: false, description: 'false accepts a self-signed certificate (default true)' },
    { key: 'ciuser', env: 'PROXMOX_CIUSER', secret: false, required: false, description: 'cloud-init user of new VMs' },
    { key: 'cicustom', env: 'PROXMOX_CICUSTOM', secret: false, required: false, description: 'cloud-init snippets, e.g. user=local:snippets/user.yaml' },
  ],
  defaultEndpoint: 'https://localhost:8006',
  endpointSetting: 'url',
  prices: { none: 'self-hosted capacity has no price list; declare its cost in the custom price file' },
  apiReference: 'Proxmox VE API schema (pve-docs api-viewer apidoc.js), https://pve.proxmox.com/pve-docs/api-viewer/',
  load: () => import('./index.js'),
};
