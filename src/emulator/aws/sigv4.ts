/**
 * SigV4 verification: the request is signed again with the emulator's secret by the same
 * library the SDK signs with (@smithy/signature-v4), over the headers the client declared
 * signed, and the signatures are compared. Any region of the emulated list is accepted (the
 * region is part of the scope); the date is not checked against the clock, which runs fast.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmuRequest } from '../engine/index.js';

function bytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof d === 'string') return d;
  return d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** node:crypto as the signer's checksum constructor (plain hash, or HMAC when given a key). */
class NodeSha256 {
  private h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
  reset(): void {}
}

export interface SigV4Scope {
  accessKeyId: string;
  region: string;
  service: string;
}

export type SigV4Result = { ok: true; scope: SigV4Scope } | { ok: false; code: 'MissingAuthenticationToken' | 'AuthFailure' | 'SignatureDoesNotMatch'; message: string };

const AUTH_RE = /^AWS4-HMAC-SHA256\s+Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

export async function verifySigV4(
  req: EmuRequest,
  keys: ReadonlyMap<string, string>,
  regions: readonly string[],
): Promise<SigV4Result> {
  const auth = String(req.headers.authorization ?? '');
  if (!auth) return { ok: false, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  const m = AUTH_RE.exec(auth);
  if (!m) return { ok: false, code: 'AuthFailure', message: 'Authorization header is not a SigV4 (AWS4-HMAC-SHA256) signature' };
  const [, accessKeyId, , region, service, signedHeaders, signature] = m as unknown as string[];
  const secret = keys.get(accessKeyId!);
  if (!secret) return { ok: false, code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' };
  if (!regions.includes(region!)) return { ok: false, code: 'AuthFailure', message: `Credential should be scoped to a valid region, not '${region}'` };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!date) return { ok: false, code: 'AuthFailure', message: 'X-Amz-Date header is missing or malformed' };

  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';')) {
    const v = req.headers[name];
    if (v === undefined) return { ok: false, code: 'AuthFailure', message: `signed header ${name} is missing` };
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of req.query) {
    const had = query[k];
    query[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  const token = headers['x-amz-security-token'];
  const signer = new SignatureV4({
    credentials: { accessKeyId: accessKeyId!, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) },
    region: region!,
    service: service!,
    sha256: NodeSha256,
  });
  const [, y, mo, d, h, mi, s] = date.map(Number) as number[];
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: headers.host ?? 'localhost', path: req.path, query, headers, body: req.rawBody || undefined },
    { signingDate: new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)), signableHeaders: new Set(Object.keys(headers)) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization))?.[1] ?? '';
  const same = expected.length === signature!.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature!));
  if (!same) {
    return {
      ok: false,
      code: 'AuthFailure',
      message: 'AWS was not able to validate the provided access credentials',
    };
  }
  return { ok: true, scope: { accessKeyId: accessKeyId!, region: region!, service: service! } };
}
