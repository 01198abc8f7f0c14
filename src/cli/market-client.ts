/**
 * The signed control-plane client for the CLI, and how its failures read: a request the
 * control plane refused (4xx: wrong key, not your contract, no such offering, a contract in
 * the wrong state) is the user's to fix, exit 2; an unreachable or failing control plane is
 * a service failure, exit 1.
 */
import { setFlagsFromString } from 'node:v8';
import { ProviderError, UserError } from '../core/errors.js';
import { ControlPlaneClient } from '../protocol/client.js';
import { generateKeyPair } from '../protocol/keys.js';
import type { Context } from './context.js';
import type { Args } from './define.js';
import { loadKey, type LoadedKey } from './market-keys.js';

// The control-plane client reads capped bodies through the global fetch, whose llhttp is compiled to
// WebAssembly: V8 optimises it in background threads and waits for them when the process exits,
// ~50 ms of every command (bench/README). Baseline code is plenty for a command's few requests.
// (Provider drivers use the transport's node:http client, which has none of this.)
setFlagsFromString('--liftoff-only');

export function apiUrl(ctx: Context, args: Args): string {
  const url = (typeof args.api === 'string' && args.api) || ctx.env.FERRY_API_URL;
  if (!url) throw new UserError('no control plane given', 'pass --api <url> or set FERRY_API_URL (the URL `ferry server` prints)');
  if (!/^https?:\/\/[^/]/.test(url)) throw new UserError(`control plane URL must be http(s)://…, got "${url}"`);
  return url.replace(/\/+$/, '');
}

export interface Signed {
  client: ControlPlaneClient;
  key: LoadedKey;
  url: string;
}

/** A client signing with the user's key. */
export function signedClient(ctx: Context, args: Args): Signed {
  const url = apiUrl(ctx, args);
  const key = loadKey(ctx.env);
  if (key.warning) ctx.stderr.write(`warning: ${key.warning}\n`);
  return { client: new ControlPlaneClient({ baseUrl: url, secretKey: key.secretKey }), key, url };
}

/** For public reads (all offerings): the server ignores the signature, so a throwaway key signs. */
export function anonymousClient(ctx: Context, args: Args): ControlPlaneClient {
  return new ControlPlaneClient({ baseUrl: apiUrl(ctx, args), secretKey: generateKeyPair().secretKey });
}

const REFUSED = new Set(['authentication', 'forbidden', 'not_found', 'conflict', 'invalid_config']);

/** Runs a control-plane call, turning its refusals into UserErrors with the server's reason. */
export async function call<T>(url: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof ProviderError) || err.provider !== 'control-plane') throw err;
    const reason = err.message.replace(/^[A-Z]+ \S+: /, '');
    if (REFUSED.has(err.kind)) {
      const hint = err.kind === 'authentication'
        ? 'the control plane rejected the signature: check the key (`ferry keys show`) and this machine\'s clock'
        : undefined;
      throw new UserError(`control plane refused: ${reason}`, hint);
    }
    if (err.kind === 'network') {
      throw new ProviderError({ kind: 'network', provider: 'control-plane', message: `cannot reach ${url} (--api / FERRY_API_URL): ${reason}`, cause: err });
    }
    throw err;
  }
}
