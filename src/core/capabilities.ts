import { ProviderError } from './errors.js';

/** Everything a driver may or may not do. Instances are the one thing every driver does. */
export const FEATURES = [
  'instances',
  'snapshots',
  'sshKeys',
  'networks',
  'firewalls',
  'volumes',
  'power',
  'validation',
  'offers',
  'reinstallIpxe',
  'batchCreate',
  'batchDestroy',
] as const;
export type Feature = (typeof FEATURES)[number];

export type Capability = { supported: true; note?: string } | { supported: false; reason: string };
export type Capabilities = Record<Feature, Capability>;

export const yes = (note?: string): Capability => (note ? { supported: true, note } : { supported: true });
export const no = (reason: string): { supported: false; reason: string } => ({ supported: false, reason });

/** Throws the typed not_supported error carrying the driver's declared reason. */
export function requireCapability(provider: string, caps: Capabilities, feature: Feature): void {
  const cap = caps[feature];
  if (!cap.supported) throw ProviderError.notSupported(provider, feature, cap.reason);
}
