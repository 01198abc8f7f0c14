/**
 * Emulated OVHcloud API v1 (https://eu.api.ovh.com/1.0): the cart → order → delivery flow of
 * baremetalServers (order.json), the public catalog, /me/order, and /dedicated/server with tasks,
 * netboot/iPXE, reinstall and termination, on an emulated clock.
 *
 * Authentication as OVH's gateway does it: X-Ovh-Application must be a known application key;
 * X-Ovh-Consumer a consumer key validated for it (401 otherwise); X-Ovh-Timestamp within
 * MAX_SKEW_S of the API's clock (GET /auth/time, "Query out of time" otherwise); X-Ovh-Signature
 * "$1$" + SHA-1 of secret+consumer+METHOD+URL+body+timestamp ("Invalid signature" otherwise).
 * The documented keys are `credentials` (printed by `ferry emulator --json`).
 */
import { createHash } from 'node:crypto';
import type { ApiFactory, EmuRequest, EmuResponse, EmulatedApi, EmulatorContext, Handler, Router } from '../engine/index.js';
import { authError, ovhError } from './errors.js';
import { registerMeOrder } from './me-order.js';
import { registerOrder } from './order.js';
import { registerServers } from './servers.js';
import { registerSshKeys, SshKeys } from './ssh-keys.js';
import { OvhState } from './state.js';

export const EMULATOR_KEYS = {
  OVH_APPLICATION_KEY: 'emuAppKey7Qx2Lm9P',
  OVH_APPLICATION_SECRET: 'emuAppSecret4Rt8Wn1Zc6Vb3Kd5Hj0Fs',
  OVH_CONSUMER_KEY: 'emuConsumer9Ty2Ue5Io8Pa1Sd4Fg7Hj3K',
};
/**
 * OVH refuses a timestamp more than a few minutes away from its clock. The window is real time: on
 * a clock running `scale` times faster it spans MAX_SKEW_S × scale emulated seconds, so a client
 * that synced once stays inside it as long as it would against OVH.
 */
export const MAX_SKEW_S = 180;

/** Calls OVH serves without a signature (noAuthentication in the schema). */
const UNSIGNED: [string, RegExp][] = [
  ['GET', /^\/1\.0\/auth\/time$/],
  ['GET', /^\/1\.0\/order\/catalog\/public\//],
  ['POST', /^\/1\.0\/order\/cart$/],
];

function signature(secret: string, consumer: string, method: string, url: string, body: string, ts: string): string {
  return `$1$${createHash('sha1').update([secret, consumer, method, url, body, ts].join('+')).digest('hex')}`;
}

export function createOvhApi(ctx: EmulatorContext): EmulatedApi {
  const keys = new SshKeys();
  const st = new OvhState(ctx, keys);
  const serverTime = () => Math.floor(ctx.clock.now() / 1000);
  const header = (req: EmuRequest, name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const unsigned = (req: EmuRequest) => UNSIGNED.some(([m, re]) => m === req.method && re.test(req.path));

  /** The signature and clock checks of an authenticated call (authenticate() has checked the keys). */
  function verify(req: EmuRequest): EmuResponse | undefined {
    const app = header(req, 'x-ovh-application');
    if (app !== undefined && app !== EMULATOR_KEYS.OVH_APPLICATION_KEY) return authError(403, 'INVALID_KEY', 'This application key is invalid');
    if (unsigned(req) && header(req, 'x-ovh-signature') === undefined) return undefined;
    const ts = header(req, 'x-ovh-timestamp') ?? '';
    if (!/^\d{1,12}$/.test(ts)) return authError(400, 'INVALID_SIGNATURE', 'Invalid signature');
    if (Math.abs(Number(ts) - serverTime()) > MAX_SKEW_S * ctx.clock.scale) return authError(400, 'QUERY_TIME_OUT', 'Query out of time');
    // The signed URL is the one the client called: scheme and host as it sent them.
    const host = header(req, 'host') ?? '127.0.0.1';
    const want = signature(EMULATOR_KEYS.OVH_APPLICATION_SECRET, EMULATOR_KEYS.OVH_CONSUMER_KEY, req.method, `http://${host}${req.url}`, req.rawBody, ts);
    if (header(req, 'x-ovh-signature') !== want) return authError(400, 'INVALID_SIGNATURE', 'Invalid signature');
    return undefined;
  }
  const guarded: Router = {
    on(method: string, pattern: string, handler: Handler) {
      router.on(method, pattern, (req) => verify(req) ?? handler(req));
    },
  };
  let router: Router;
  const owned = (req: EmuRequest) => header(req, 'x-ovh-consumer') === EMULATOR_KEYS.OVH_CONSUMER_KEY;

  return {
    name: 'ovh',
    credentials: { ...EMULATOR_KEYS },
    register(r: Router) {
      router = r;
      r.on('GET', '/1.0/auth/time', () => ({ status: 200, body: serverTime() }));
      registerOrder(guarded, st, owned);
      registerMeOrder(guarded, st);
      registerServers(guarded, st);
      registerSshKeys(guarded, keys);
    },
    /** The keys: a known application; a consumer key validated for it on every call that is signed. */
    authenticate(req) {
      // An unknown application key is verify()'s 403 INVALID_KEY, as OVH answers it.
      const app = header(req, 'x-ovh-application');
      if (app === undefined) return unsigned(req);
      if (app !== EMULATOR_KEYS.OVH_APPLICATION_KEY) return true;
      if (unsigned(req) && header(req, 'x-ovh-consumer') === undefined) return true;
      return header(req, 'x-ovh-consumer') === EMULATOR_KEYS.OVH_CONSUMER_KEY;
    },
    errorResponse(status, code, message) {
      if (code === 'unauthorized') return authError(401, 'INVALID_CREDENTIAL', 'This credential is not valid');
      return ovhError(status, message);
    },
  };
}

export const createApi: ApiFactory = createOvhApi;
