/**
 * What the shared contract suite needs of each driver: how it is configured against the emulator,
 * a valid and an invalid region/size/image, how to reach the emulated API behind the driver's back
 * (an unmanaged instance, a hand-made snapshot), and the official description its traffic is checked
 * against. Each driver's row lives in test/providers/<name>/contract-target.ts; the list of rows is
 * the registry's (see all-targets.ts), never written down here.
 */
import type { ProviderDescriptor } from '../../src/core/index.js';
import type { ApiFactory } from '../../src/emulator/engine/index.js';
import type { Exchange } from '../../src/emulator/index.js';
import { loadOpenApi } from '../support/openapi.js';
import { loadPveSchema, validateExchange } from '../support/pve-schema.js';

/** Raw calls to an emulated API with the account's credentials: JSON or form in, JSON out. */
export interface RawApi {
  call(method: string, path: string, body?: Record<string, unknown>): Promise<{ status: number; body: any }>;
}

export interface Choice {
  value: string;
  /** The valid choices the UserError must name (message or hint). */
  names: RegExp;
}

export interface ContractTarget {
  /** Registry name, also the emulated API's name. */
  provider: string;
  /** Credentials with the given secret; a secret starting with "invalid" is refused by the emulator. */
  credentials(secret: string): Record<string, string>;
  secret: string;
  options?: Record<string, string>;
  valid: { region: string; size: string; image: string };
  invalid: { region: Choice; size: Choice; image: Choice };
  /** An id of the provider's format that does not exist. */
  missingId: string;
  /** A snapshot id of the provider's format that does not exist. */
  missingSnapshotId: string;
  /** A snapshot name every driver accepts. */
  snapshotName: string;
  /** Instances in one list page as configured (null: the API lists everything at once). */
  pageSize: number | null;
  /** The page number of a list-instances request, or null for any other exchange. */
  listPage(x: Exchange): number | null;
  /** Whether this exchange is a create of an instance. */
  isCreate(x: Exchange): boolean;
  raw(url: string, secret: string): RawApi;
  /** An instance made behind ferry's back (no ferry labels); returns its id. */
  rawUnmanaged(api: RawApi, name: string): Promise<string>;
  /** A snapshot made behind ferry's back, finished when this resolves; returns its name. */
  rawSnapshot(api: RawApi, instanceId: string, region: string): Promise<string>;
  /** Names of every snapshot of the account / the instance, as the API lists them. */
  rawSnapshotNames(api: RawApi, instanceId: string, region: string): Promise<string[]>;
  /** A provider that is not in the registry or src/emulator (the kit's test fixture): its descriptor and API. */
  fixture?: { descriptor: ProviderDescriptor; createApi: ApiFactory };
  /** A checker of exchanges against the official description, or why it is missing. */
  spec(): { check(x: Exchange): string[] } | { missing: string };
}

export function jsonApi(url: string, authorization: string): RawApi {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

export function formApi(url: string, authorization: string): RawApi {
  return {
    async call(method, path, body) {
      const form = body === undefined ? undefined : new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
        body: form,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Polls a raw GET until done() says so (the emulated clock runs fast, so this is short). */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`${what} did not finish`);
}

export function expectStatus(what: string, got: { status: number; body: unknown }, ...want: number[]): void {
  if (!want.includes(got.status)) throw new Error(`${what}: HTTP ${got.status} ${JSON.stringify(got.body)}`);
}

/** An OpenAPI checker: the request body (when there is one) and the response. */
export function openApiSpec(rel: string): () => { check(x: Exchange): string[] } | { missing: string } {
  return () => {
    const spec = loadOpenApi(rel);
    if ('missing' in spec) return spec;
    return {
      check: (x) => {
        const where = `${x.method} ${x.path}${x.query} → ${x.status}`;
        return [
          ...(x.requestBody === undefined ? [] : spec.validateRequest(x.method, x.path, x.requestBody)).map((e) => `request ${where}: ${e}`),
          ...spec.validateResponse(x.method, x.path, x.status, x.responseBody).map((e) => `response ${where}: ${e}`),
        ];
      },
    };
  };
}

export const pageOf = (x: Exchange, method: string, path: string): number | null =>
  x.method === method && x.path === path ? Number(new URLSearchParams(x.query).get('page') ?? '1') : null;
