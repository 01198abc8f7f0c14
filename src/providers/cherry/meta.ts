import type { ProviderDescriptor } from '../../core/index.js';

export const cherryDescriptor: ProviderDescriptor = {
  name: 'cherry',
  title: 'Cherry Servers',
  kind: 'bare-metal',
  credentials: [
    {
      key: 'token',
      env: 'CHERRY_AUTH_TOKEN',
      aliases: ['CHERRY_API_KEY'],
      secret: true,
      required: true,
      description: 'API key of a Cherry Servers user (Client portal → Settings → API keys)',
    },
    { key: 'team', env: 'CHERRY_TEAM_ID', secret: false, required: false, description: 'team id or name (default: every team of the key)' },
    { key: 'project', env: 'CHERRY_PROJECT_ID', secret: false, required: false, description: 'project id or name servers are ordered in (default: the only project)' },
    {
      key: 'cycle',
      env: 'CHERRY_CYCLE',
      secret: false,
      required: false,
      default: 'hourly',
      description: 'billing cycle of new servers: hourly (pay per use) or monthly (paid in advance, not renewed unless set up)',
    },
  ],
  defaultEndpoint: 'https://api.cherryservers.com/v1',
  apiReference:
    'https://api.cherryservers.com/doc/ (as modelled by github.com/cherryservers/cherrygo and cherryservers-sdk-python; deploy states from terraform-provider-cherryservers)',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: {
    kind: 'immediate',
    note: 'termination is immediate and the hardware stops billing ("no additional charges will be incurred for the hardware"); a monthly cycle is paid in advance and not refunded; extra IP addresses keep billing until cancelled',
  },
};
