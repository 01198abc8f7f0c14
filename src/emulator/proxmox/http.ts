import type { EmuRequest, EmuResponse } from '../engine/index.js';

/** PVE's exact content type: proxmox-api, for one, accepts JSON only under this spelling. */
export const PVE_JSON = { 'content-type': 'application/json;charset=UTF-8' };

/** PVE wraps every answer in { data }. */
export function ok(data: unknown): EmuResponse {
  return { status: 200, body: { data }, headers: PVE_JSON };
}

/**
 * PVE's error answer: the text in the HTTP reason phrase (where every PVE client reads it), and
 * in the body as data null, message (newline-terminated, as PVE dies) and per-parameter errors on 400.
 */
export function fail(status: number, message: string, errors?: Record<string, string>): EmuResponse {
  const body: Record<string, unknown> = { data: null, message: message.endsWith('\n') ? message : `${message}\n` };
  if (errors) body.errors = errors;
  return { status, body, reason: reasonPhrase(message), headers: PVE_JSON };
}

/** One line of visible ASCII: what an HTTP status line can carry. */
export function reasonPhrase(message: string): string {
  return message.replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 512) || 'Error';
}

export function paramError(errors: Record<string, string>): EmuResponse {
  return fail(400, 'Parameter verification failed.', errors);
}

export function noConfig(node: string, vmid: number | string): EmuResponse {
  return fail(500, `Configuration file 'nodes/${node}/qemu-server/${vmid}.conf' does not exist`);
}

/** A form field (POST/PUT) or query parameter (GET/DELETE), as PVE reads both. */
export function param(req: EmuRequest, name: string): string | undefined {
  const fromBody = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>)[name] : undefined;
  if (typeof fromBody === 'string') return fromBody;
  return req.query.get(name) ?? undefined;
}

export function boolParam(req: EmuRequest, name: string): boolean | undefined {
  const v = param(req, name);
  if (v === undefined) return undefined;
  return /^(1|true|yes|on)$/i.test(v);
}

const TOKEN_RE = /^PVEAPIToken=([^\s@!=]+@[^\s@!=]+![A-Za-z][A-Za-z0-9._-]+)=(\S+)$/;

/** USER@REALM!TOKENID from the Authorization header; undefined when it is not a valid token. */
export function tokenUser(req: EmuRequest): string | undefined {
  const m = TOKEN_RE.exec(String(req.headers.authorization ?? ''));
  if (!m || m[2]!.startsWith('invalid')) return undefined;
  return m[1];
}
