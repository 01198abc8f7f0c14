/** Raw signed calls to the emulated OVH API (as OVH's own clients make them), and the spec checker. */
import type { Exchange } from '../../../src/emulator/index.js';
import { ovhSignature } from '../../../src/providers/ovh/signature.js';
import { loadOpenApi } from '../../support/openapi.js';
import { loadOvhNative } from '../../support/spec-ovh-native.js';

export const ORDER_SPEC = 'ovh/ovh-eu-1.0-order.json';
export const SERVER_SPEC = 'ovh/ovh-eu-1.0-dedicated-server.openapi3.json';

export interface RawKeys {
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
}

export function ovhRaw(url: string, keys: RawKeys, o: { skewS?: number; tamper?: boolean } = {}) {
  let offset: number | null = null;
  return {
    async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
      if (offset === null) {
        const t = await fetch(`${url}/1.0/auth/time`);
        offset = Number(await t.text()) - Math.floor(Date.now() / 1000);
      }
      const full = `${url}/1.0${path}`;
      const text = body === undefined ? '' : JSON.stringify(body);
      const ts = Math.floor(Date.now() / 1000) + offset + (o.skewS ?? 0);
      let sig = ovhSignature(keys, method, full, text, ts);
      if (o.tamper) sig = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
      const res = await fetch(full, {
        method,
        headers: {
          'x-ovh-application': keys.applicationKey,
          'x-ovh-consumer': keys.consumerKey,
          'x-ovh-timestamp': String(ts),
          'x-ovh-signature': sig,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : text,
      });
      const out = await res.text();
      return { status: res.status, body: out ? JSON.parse(out) : undefined };
    },
  };
}

/**
 * Every exchange against its description: /order against order.json (native format), /dedicated/server
 * against the OpenAPI file. /auth/time and /me are in neither (OVH publishes them in auth.json and
 * me.json, which are not among the specs here): they are listed, not checked.
 */
export function ovhSpecCheck(): { check(x: Exchange): string[]; unchecked: string[] } | { missing: string } {
  const order = loadOvhNative(ORDER_SPEC);
  if ('missing' in order) return order;
  const server = loadOpenApi(SERVER_SPEC);
  if ('missing' in server) return server;
  const unchecked: string[] = [];
  return {
    unchecked,
    check(x) {
      const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
      const fault = x.status === 429 || x.status >= 500 || x.status === 401;
      if (x.path.startsWith('/1.0/order/')) {
        return [
          ...order.validateRequest(x.method, x.path, x.query, x.requestBody).map((e) => `request ${where}: ${e}`),
          ...(fault ? [] : order.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${where}: ${e}`)),
        ];
      }
      if (x.path.startsWith('/1.0/dedicated/server')) {
        const path = x.path.slice('/1.0'.length);
        return [
          ...(x.requestBody === undefined || x.requestBody === null ? [] : server.validateRequest(x.method, path, x.requestBody)).map((e) => `request ${where}: ${e}`),
          ...(fault || x.status === 400 ? [] : server.validateResponse(x.method, path, x.status, x.responseBody)).map((e) => `response ${where}: ${e}`),
        ];
      }
      unchecked.push(`${x.method} ${x.path}`);
      return [];
    },
  };
}
