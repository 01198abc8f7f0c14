import type { ProviderDescriptor } from '../core/index.js';

/**
 * Providers on ferry's road map whose drivers are not written yet: registered so that
 * `ferry providers` lists them and asking for one says "not implemented" instead of "unknown".
 */
function planned(name: string, title: string, kind: ProviderDescriptor['kind'], env: string[], defaultEndpoint: string, apiReference: string): ProviderDescriptor {
  return {
    name,
    title,
    kind,
    credentials: env.map((e, i) => ({ key: i === 0 ? 'token' : e.toLowerCase(), env: e, secret: true, required: true, description: e })),
    defaultEndpoint,
    apiReference,
  };
}

export const PLANNED_PROVIDERS: readonly ProviderDescriptor[] = [
  planned('hetzner-robot', 'Hetzner Robot', 'bare-metal', ['HETZNER_ROBOT_USER', 'HETZNER_ROBOT_PASSWORD'], 'https://robot-ws.your-server.de', 'https://robot.hetzner.com/doc/webservice/en.html'),
  planned('scaleway', 'Scaleway', 'cloud', ['SCW_SECRET_KEY', 'SCW_DEFAULT_PROJECT_ID'], 'https://api.scaleway.com', 'Scaleway Instance v1 / Elastic Metal v1 OpenAPI'),
  planned('vultr', 'Vultr', 'cloud', ['VULTR_API_KEY'], 'https://api.vultr.com/v2', 'Vultr API v2 OpenAPI'),
  planned('linode', 'Linode (Akamai)', 'cloud', ['LINODE_TOKEN'], 'https://api.linode.com/v4', 'Linode API v4 OpenAPI'),
  planned('aws', 'AWS EC2', 'cloud', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], 'https://ec2.us-east-1.amazonaws.com', 'EC2 API 2016-11-15'),
  planned('hivelocity', 'Hivelocity', 'bare-metal', ['HIVELOCITY_API_KEY'], 'https://core.hivelocity.net/api/v2', 'Hivelocity API v2 Swagger'),
  planned('latitude', 'Latitude.sh', 'bare-metal', ['LATITUDESH_AUTH_TOKEN'], 'https://api.latitude.sh', 'https://docs.latitude.sh/reference'),
  planned('cherry', 'Cherry Servers', 'bare-metal', ['CHERRY_AUTH_TOKEN'], 'https://api.cherryservers.com/v1', 'https://api.cherryservers.com/doc/'),
  planned('ovh', 'OVHcloud', 'bare-metal', ['OVH_APPLICATION_KEY', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY'], 'https://eu.api.ovh.com/1.0', 'OVH API v1 /dedicated/server and /order'),
];

/** Providers that closed: listed by `ferry providers` with the date and where to go; asking for one is a UserError. */
export const RETIRED_PROVIDERS: readonly ProviderDescriptor[] = [
  {
    ...planned('equinix-metal', 'Equinix Metal', 'bare-metal', ['METAL_AUTH_TOKEN'], 'https://api.equinix.com/metal/v1', 'Equinix Metal API v1 OpenAPI'),
    retired: {
      date: '2026-06-30',
      alternatives: 'Equinix ended Metal on 2026-06-30; for bare metal use latitude, cherry, hivelocity, hetzner-robot, ovh or scaleway (Elastic Metal)',
    },
  },
];
