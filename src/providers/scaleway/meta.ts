import type { ProviderDescriptor } from '../../core/index.js';

const ZONE_RE = /^[a-z]{2}-[a-z]{3}-\d$/;

function zone(value: string): string {
  const v = value.trim().toLowerCase();
  if (!ZONE_RE.test(v)) throw new Error(`"${value}" is not a Scaleway zone (e.g. fr-par-1, nl-ams-1, pl-waw-2)`);
  return v;
}

export const scalewayDescriptor: ProviderDescriptor = {
  name: 'scaleway',
  title: 'Scaleway (Instances and Elastic Metal)',
  kind: 'cloud',
  credentials: [
    {
      key: 'secretKey',
      env: 'SCW_SECRET_KEY',
      aliases: ['SCALEWAY_SECRET_KEY'],
      secret: true,
      required: true,
      description: 'secret key of a Scaleway API key (IAM → API keys), sent as X-Auth-Token',
    },
    {
      key: 'accessKey',
      env: 'SCW_ACCESS_KEY',
      aliases: ['SCALEWAY_ACCESS_KEY'],
      secret: false,
      required: false,
      description: 'access key id of the same API key (identifies it in logs; not needed to authenticate)',
    },
    {
      key: 'projectId',
      env: 'SCW_DEFAULT_PROJECT_ID',
      aliases: ['SCALEWAY_PROJECT_ID'],
      secret: false,
      required: true,
      description: 'Project ID that owns the servers, networks, volumes and SSH keys ferry creates',
    },
    {
      key: 'zone',
      env: 'SCW_DEFAULT_ZONE',
      aliases: ['SCALEWAY_ZONE'],
      secret: false,
      required: false,
      default: 'fr-par-1',
      description: 'default zone (fr-par-1…3, nl-ams-1…3, pl-waw-1…3, it-mil-1); every operation can target another zone with --region',
      parse: zone,
    },
    {
      key: 'privateNetwork',
      env: 'SCALEWAY_PRIVATE_NETWORK',
      secret: false,
      required: false,
      description: 'name or id of a VPC private network new Instance servers get a private NIC in',
    },
    {
      key: 'securityGroup',
      env: 'SCALEWAY_SECURITY_GROUP',
      secret: false,
      required: false,
      description: 'name or id of the security group new Instance servers join (default: the project default group)',
    },
  ],
  defaultEndpoint: 'https://api.scaleway.com',
  apiReference:
    'https://www.scaleway.com/en/developers/api/ (OpenAPI: scaleway/scaleway.instance.v1.Api.yml, scaleway.vpc.v2.Api.yml, scaleway.baremetal.v1.Api.yml; Block Storage v1alpha1, IAM v1alpha1 SSH keys and Marketplace v2 from the public API documentation)',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: { kind: 'immediate', note: 'Instances and hourly Elastic Metal servers stop billing at deletion; monthly Elastic Metal offers bill the month they are ordered in' },
};
