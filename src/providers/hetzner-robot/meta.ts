import type { ProviderDescriptor } from '../../core/index.js';

export const hetznerRobotDescriptor: ProviderDescriptor = {
  name: 'hetzner-robot',
  title: 'Hetzner Robot (dedicated servers)',
  kind: 'bare-metal',
  credentials: [
    {
      key: 'user',
      env: 'HETZNER_ROBOT_USER',
      secret: false,
      required: true,
      description: 'webservice user of the Robot account (robot.hetzner.com → Settings → Webservice and app settings)',
    },
    {
      key: 'password',
      env: 'HETZNER_ROBOT_PASSWORD',
      secret: true,
      required: true,
      description: 'password of that webservice user (HTTP basic auth; three failed logins block the IP for a while, so ferry stops at the first 401)',
    },
  ],
  defaultEndpoint: 'https://robot-ws.your-server.de',
  apiReference: 'Hetzner Robot webservice, https://robot.hetzner.com/doc/webservice/en.html',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: {
    kind: 'end-of-period',
    note:
      'destroy is a cancellation (POST /server/{n}/cancellation) at the earliest date Robot allows, the end of the ' +
      'billing period: the server stays, billed, until that cancellation date, which ferry reports',
  },
};
