import type { ProviderDescriptor } from '../../core/index.js';

export const hivelocityDescriptor: ProviderDescriptor = {
  name: 'hivelocity',
  title: 'Hivelocity',
  kind: 'bare-metal',
  credentials: [
    {
      key: 'apiKey',
      env: 'HIVELOCITY_API_KEY',
      secret: true,
      required: true,
      description: 'API key of a Hivelocity account (my.hivelocity.net → Account → API), sent as X-API-KEY',
    },
    {
      key: 'period',
      env: 'HIVELOCITY_BILLING_PERIOD',
      secret: false,
      required: false,
      default: 'monthly',
      description: 'billing period of new devices: monthly (the listed prices; cancelled at the end of the month) or hourly',
      parse: (v) => {
        const p = v.trim().toLowerCase();
        if (p !== 'monthly' && p !== 'hourly') throw new Error(`"${v}" is not a billing period; use monthly or hourly`);
        return p;
      },
    },
    {
      key: 'domain',
      env: 'HIVELOCITY_HOSTNAME_DOMAIN',
      secret: false,
      required: false,
      default: 'localdomain',
      description: 'domain appended to server names: Hivelocity wants a fully qualified hostname (name.domain)',
    },
  ],
  defaultEndpoint: 'https://core.hivelocity.net/api/v2',
  apiReference: 'Hivelocity API v2, Swagger 2.0 at https://core.hivelocity.net/api/v2/swagger.json (developers.hivelocity.net)',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: {
    kind: 'end-of-period',
    note:
      'ferry orders monthly; DELETE /bare-metal-devices/{id} starts a cancellation ("Cancellation Started") and the ' +
      'device stays billed until its billing cancel date, the end of the paid month (an hourly device is deleted at once)',
  },
};
