/**
 * OVHcloud's request signature (API v1): each authenticated request carries X-Ovh-Application,
 * X-Ovh-Consumer, X-Ovh-Timestamp and X-Ovh-Signature = "$1$" + hex SHA-1 of
 * "applicationSecret+consumerKey+METHOD+fullUrl+body+timestamp" (the parts joined with "+").
 * The timestamp is the API's clock (GET /auth/time), not ours: the offset is learnt once and
 * learnt again when the API answers that a timestamp is invalid.
 *
 * OVHcloud's Node client (npm `ovh`) implements the same scheme, but it is unmaintained (last
 * release 2.0.3 in 2019, callback/`request`-era code, no types) and brings its own HTTP stack;
 * ferry signs inside its own transport instead.
 */
import { createHash } from 'node:crypto';
import type { SignableRequest } from '../../transport/index.js';

export interface OvhKeys {
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
}

/** "$1$" + SHA-1 hex of secret+consumer+method+url+body+timestamp (OVH's documented scheme). */
export function ovhSignature(keys: Pick<OvhKeys, 'applicationSecret' | 'consumerKey'>, method: string, url: string, body: string, timestamp: number): string {
  const text = [keys.applicationSecret, keys.consumerKey, method.toUpperCase(), url, body, String(timestamp)].join('+');
  return `$1$${createHash('sha1').update(text).digest('hex')}`;
}

/** Keeps the offset between the API's clock and ours (seconds), learnt from GET /auth/time. */
export class OvhClock {
  private offset: number | null = null;

  constructor(private readonly fetchServerTime: () => Promise<number>, private readonly localNow: () => number = () => Date.now()) {}

  async now(): Promise<number> {
    if (this.offset === null) await this.sync();
    return Math.floor(this.localNow() / 1000) + (this.offset ?? 0);
  }

  /** Learns the offset again (after the API refused a timestamp). */
  async sync(): Promise<void> {
    const server = await this.fetchServerTime();
    this.offset = server - Math.floor(this.localNow() / 1000);
  }

  forget(): void {
    this.offset = null;
  }
}

/** The transport's signing hook: the four X-Ovh headers on every request but the unauthenticated ones. */
export function ovhSigner(keys: OvhKeys, clock: OvhClock, unsigned: (url: string) => boolean) {
  return async (req: SignableRequest): Promise<void> => {
    req.headers['x-ovh-application'] = keys.applicationKey;
    if (unsigned(req.url)) return;
    const timestamp = await clock.now();
    req.headers['x-ovh-consumer'] = keys.consumerKey;
    req.headers['x-ovh-timestamp'] = String(timestamp);
    req.headers['x-ovh-signature'] = ovhSignature(keys, req.method, req.url, req.body ?? '', timestamp);
  };
}
