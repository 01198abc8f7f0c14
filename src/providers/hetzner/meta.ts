import type { ProviderDescriptor } from '../../core/index.js';

export const hetznerDescriptor: ProviderDescriptor = {
  name: 'hetzner',
  title: 'Hetzner Cloud',
  kind: 'cloud',
  credentials: [
    {
      key: 'token',
      env: 'HCLOUD_TOKEN',
      secret: true,
      required: true,
      description: 'API token of a Hetzner Cloud project (Security → API tokens, Read & Write)',
    },
  ],
  defaultEndpoint: 'https://api.hetzner.cloud/v1',
  apiReference: 'https://docs.hetzner.cloud/ (OpenAPI: hetzner-cloud/hcloud.openapi.json, a conversion of cloud.spec.json)',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
};
