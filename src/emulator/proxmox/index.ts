import type { EmulatedApi, EmulatorContext } from '../engine/index.js';
import { registerCluster } from './cluster.js';
import { registerExtra } from './extra.js';
import { fail, PVE_JSON, tokenUser } from './http.js';
import { registerQemu } from './qemu.js';
import { registerSnapshots } from './snapshots.js';
import { PveState } from './state.js';

/**
 * The Proxmox VE API (/api2/json) as the official apidoc describes it: `{data}` answers,
 * form-encoded bodies, UPID tasks that run then stop, clones locked while copying,
 * a guest agent that answers only after boot. PVE has no API rate limit, so none here.
 * Tokens: any well-formed PVEAPIToken, except secrets starting with "invalid".
 */
export function createApi(ctx: EmulatorContext): EmulatedApi {
  const state = new PveState(ctx);
  return {
    name: 'proxmox',
    register(router) {
      registerCluster(router, state);
      registerQemu(router, state);
      registerSnapshots(router, state);
      registerExtra(router, state);
    },
    authenticate: (req) => tokenUser(req) !== undefined,
    errorResponse(status, code, message) {
      // PVE answers a bad token 401 with an empty data and the text only in the reason phrase.
      if (status === 401) return { status, body: { data: null }, reason: 'authentication failure', headers: PVE_JSON };
      // PVE answers an unknown path or method with 501 "Method '…' not implemented".
      if (code === 'not_found' || code === 'method_not_allowed') {
        const what = /(?:no route for|not allowed on) (.*)$/.exec(message)?.[1] ?? message;
        return fail(501, `Method '${what}' not implemented`);
      }
      return fail(status, message);
    },
  };
}
