import type { ProviderDescriptor } from '../../core/index.js';

export const vultrDescriptor: ProviderDescriptor = {
  name: 'vultr',
  title: 'Vultr (cloud instances and bare metal)',
  kind: 'cloud',
  credentials: [
    {
      key: 'apiKey',
      env: 'VULTR_API_KEY',
      secret: true,
      required: true,
      description: 'Personal access token of a Vultr account (Account → API, with the API enabled for your address)',
    },
  ],
  defaultEndpoint: 'https://api.vultr.com/v2',
  apiReference: 'https://www.vultr.com/api/ (OpenAPI: vultr/vultr-api-v2.openapi.json, 2023; newer fields per the public reference, see schema.ts)',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: { kind: 'immediate', note: 'instances and bare metal are deleted at once; Vultr bills by the hour up to a monthly cap, so billing stops' },
};
