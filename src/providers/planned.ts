import type { ProviderDescriptor } from '../core/index.js';

/**
 * A provider ferry does not drive (on the road map, or retired): registered so that `ferry providers`
 * lists it and asking for one says why instead of "unknown".
 */
function undriven(name: string, title: string, kind: ProviderDescriptor['kind'], env: string[], defaultEndpoint: string, apiReference: string): ProviderDescriptor {
  return {
    name,
    title,
    kind,
    credentials: env.map((e, i) => ({ key: i === 0 ? 'token' : e.toLowerCase(), env: e, secret: true, required: true, description: e })),
    defaultEndpoint,
    apiReference,
  };
}

/**
 * The road map: every provider of the mission has its driver now, so none is planned. An entry here
 * would be listed as planned and refused as not implemented until a driver of its name lands.
 */
export const PLANNED_PROVIDERS: readonly ProviderDescriptor[] = [];

/** Providers that closed: listed by `ferry providers` with the date and where to go; asking for one is a UserError. */
export const RETIRED_PROVIDERS: readonly ProviderDescriptor[] = [
  {
    ...undriven('equinix-metal', 'Equinix Metal', 'bare-metal', ['METAL_AUTH_TOKEN'], 'https://api.equinix.com/metal/v1', 'Equinix Metal API v1 OpenAPI'),
    retired: {
      date: '2026-06-30',
      alternatives: 'Equinix ended Metal on 2026-06-30; for bare metal use latitude, cherry, hivelocity, hetzner-robot, ovh or scaleway (Elastic Metal)',
    },
  },
];
