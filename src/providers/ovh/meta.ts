import type { ProviderDescriptor } from '../../core/index.js';

const SUBSIDIARIES = ['ASIA', 'AU', 'CA', 'CZ', 'DE', 'ES', 'EU', 'FI', 'FR', 'GB', 'IE', 'IN', 'IT', 'LT', 'MA', 'NL', 'PL', 'PT', 'QC', 'SG', 'SN', 'TN', 'US', 'WE', 'WS'];

export const ovhDescriptor: ProviderDescriptor = {
  name: 'ovh',
  title: 'OVHcloud',
  kind: 'bare-metal',
  credentials: [
    {
      key: 'applicationKey',
      env: 'OVH_APPLICATION_KEY',
      aliases: ['OVH_APP_KEY'],
      secret: false,
      required: true,
      description: 'application key of an OVH API application (eu.api.ovh.com/createApp), sent as X-Ovh-Application',
    },
    {
      key: 'applicationSecret',
      env: 'OVH_APPLICATION_SECRET',
      aliases: ['OVH_APP_SECRET'],
      secret: true,
      required: true,
      description: 'application secret: signs every request ($1$ SHA-1 signature), never sent',
    },
    {
      key: 'consumerKey',
      env: 'OVH_CONSUMER_KEY',
      secret: true,
      required: true,
      description: 'consumer key validated for the application with rights on /order/*, /me/* and /dedicated/server/*',
    },
    {
      key: 'subsidiary',
      env: 'OVH_SUBSIDIARY',
      secret: false,
      required: false,
      default: 'FR',
      description: `OVH subsidiary the carts and the catalog belong to (currency and legal entity): ${SUBSIDIARIES.join(', ')}`,
      parse: (v) => {
        const s = v.trim().toUpperCase();
        if (!SUBSIDIARIES.includes(s)) throw new Error(`"${v}" is not an OVH subsidiary; use one of ${SUBSIDIARIES.join(', ')}`);
        return s;
      },
    },
  ],
  defaultEndpoint: 'https://eu.api.ovh.com/1.0',
  endpointEnv: 'OVH_ENDPOINT',
  apiReference:
    'OVHcloud API v1: /order (native schema https://eu.api.ovh.com/1.0/order.json) and /dedicated/server (OpenAPI 3.0, OVHcloud ovhcloud-cli); OVH_ENDPOINT takes ovh-eu, ovh-ca, ovh-us or a URL',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: {
    kind: 'end-of-period',
    note:
      'OVH bills dedicated servers by the month, paid ahead; ferry ends a server by setting its renew to deleteAtExpiration ' +
      '(PUT /dedicated/server/{serviceName}/serviceInfos), the state OVH\'s termination (POST /terminate, then /confirmTermination ' +
      'with the token emailed to the admin contact) leads to: the server stays, billed, until the end of the paid month, and a ' +
      'paid order still being delivered is ended once delivered',
  },
};
