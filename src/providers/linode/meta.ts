import type { ProviderDescriptor } from '../../core/index.js';

export const linodeDescriptor: ProviderDescriptor = {
  name: 'linode',
  title: 'Linode (Akamai Cloud)',
  kind: 'cloud',
  credentials: [
    {
      key: 'token',
      env: 'LINODE_TOKEN',
      aliases: ['LINODE_CLI_TOKEN'],
      secret: true,
      required: true,
      description: 'Personal access token (Cloud Manager → My Profile → API Tokens) with Linodes, Images, Volumes, VPCs, Firewalls and Events read/write',
    },
    {
      key: 'vpcRegion',
      env: 'LINODE_VPC_REGION',
      default: 'us-east',
      secret: false,
      required: false,
      description: 'Region of the VPCs ferry makes for its networks (VPCs are regional)',
    },
    {
      key: 'firewall',
      env: 'LINODE_FIREWALL',
      secret: false,
      required: false,
      description: 'Label of a firewall every new Linode joins (made with an inbound SSH rule when missing)',
    },
  ],
  defaultEndpoint: 'https://api.linode.com/v4',
  apiReference: 'https://techdocs.akamai.com/linode-api/reference/api (OpenAPI: linode/linode-openapi-v4.189.0.yaml)',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: { kind: 'immediate', note: 'Linodes are billed by the hour up to a monthly cap; deleting stops the bill at once' },
};
