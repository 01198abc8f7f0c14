import type { ProviderDescriptor } from '../../core/index.js';

export const latitudeDescriptor: ProviderDescriptor = {
  name: 'latitude',
  title: 'Latitude.sh',
  kind: 'bare-metal',
  credentials: [
    {
      key: 'token',
      env: 'LATITUDESH_AUTH_TOKEN',
      aliases: ['LATITUDE_API_KEY', 'LATITUDESH_BEARER'],
      secret: true,
      required: true,
      description: 'API key of a Latitude.sh team (Settings → API keys)',
    },
    {
      key: 'project',
      env: 'LATITUDESH_PROJECT',
      secret: false,
      required: false,
      description: 'project id, slug or name the servers are ordered in (default: the team\'s only project)',
    },
    {
      key: 'billing',
      env: 'LATITUDESH_BILLING',
      secret: false,
      required: false,
      default: 'hourly',
      description: 'billing of new servers: hourly (released at once on destroy), monthly or yearly (deletion at the end of the cycle)',
    },
    {
      key: 'networkSite',
      env: 'LATITUDESH_NETWORK_SITE',
      secret: false,
      required: false,
      default: 'ASH',
      description: 'site where virtual networks are created',
    },
  ],
  defaultEndpoint: 'https://api.latitude.sh',
  apiReference:
    'https://docs.latitude.sh/reference (as generated into github.com/latitudesh/latitudesh-go-sdk; recorded answers in github.com/latitudesh/terraform-provider-latitudesh latitudesh/fixtures)',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: {
    kind: 'immediate',
    note: 'hourly servers are deleted at once and billing stops; with LATITUDESH_BILLING monthly or yearly, destroy schedules the deletion for the end of the billing cycle, which is billed in full',
  },
};
