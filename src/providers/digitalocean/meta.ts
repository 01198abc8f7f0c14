import type { ProviderDescriptor } from '../../core/index.js';

export const DIGITALOCEAN_API = 'https://api.digitalocean.com';

export const digitaloceanDescriptor: ProviderDescriptor = {
  name: 'digitalocean',
  title: 'DigitalOcean',
  kind: 'cloud',
  credentials: [
    { key: 'token', env: 'DIGITALOCEAN_TOKEN', secret: true, required: true, description: 'personal access token (API v2)' },
    // A driver option, not a secret: VPCs are per region and findOrCreateNetwork(name) carries none.
    { key: 'vpcRegion', env: 'DIGITALOCEAN_VPC_REGION', secret: false, required: false, description: 'region of the VPCs (networks) ferry creates, e.g. fra1' },
  ],
  defaultEndpoint: DIGITALOCEAN_API,
  apiReference: 'DigitalOcean API v2, OpenAPI description digitalocean/openapi (DigitalOcean-public.v2.yaml)',
  load: async () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
};
