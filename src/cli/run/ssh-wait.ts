/**
 * The CLI side of the SSH waits: which stage, timeouts (the seed's ssh_connect 300 s and
 * cloud_init 600 s, scaled by FERRY_TIME_SCALE, set by flags), the login (a private key next to
 * the deployed public key, -i, or the provider's root password), the endpoint (mapped when ferry
 * is pointed at the emulator) and ferry's known_hosts.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import ssh2 from 'ssh2';
import { EXIT } from '../errors.js';
import { UserError, listChoices, type Instance, type Provider } from '../../core/index.js';
import {
  checkHostKey,
  defaultLoginUser,
  hostAlias,
  knownHostsPath,
  privateKeyFor,
  recordLogin,
  sshEndpointFor,
  waitUsable,
  WAIT_STAGES,
  type SshEndpoint,
  type WaitStage,
} from '../../ssh/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { cliTimeouts, timeScale } from '../providers.js';

/** Exit code of a deploy whose server is up but whose cloud-init reported an error. */
export const EXIT_CLOUD_INIT_FAILED = EXIT.cloudInitFailed;

export function waitStage(args: Args): WaitStage | false {
  if (args.wait === false) return false;
  const stage = args.wait === undefined || args.wait === true ? 'ready' : String(args.wait);
  if (!(WAIT_STAGES as readonly string[]).includes(stage)) throw new UserError(`--wait ${stage} is not a stage`, `stages: ${listChoices([...WAIT_STAGES])}`);
  return stage as WaitStage;
}

function seconds(args: Args, name: string, flag: string): number | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v > 0)) throw new UserError(`${flag} must be a positive number of seconds`);
  return v * 1000;
}

export function sshTimeouts(ctx: Context, args: Args): { sshConnectMs: number; cloudInitMs: number; pollIntervalMs: number } {
  const scale = timeScale(ctx);
  const scaled = (ms: number) => (scale > 1 ? Math.max(5_000, ms / scale) : ms);
  return {
    sshConnectMs: seconds(args, 'sshTimeout', '--ssh-timeout') ?? scaled(300_000),
    cloudInitMs: seconds(args, 'cloudInitTimeout', '--cloud-init-timeout') ?? scaled(600_000),
    pollIntervalMs: cliTimeouts(ctx).pollIntervalMs ?? 5_000,
  };
}

export function expandHome(path: string): string {
  return path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** The private key to log in with: -i, else the one beside the first deployed public key file. */
export function identityFor(args: Args): string | undefined {
  if (typeof args.identity === 'string') return expandHome(args.identity);
  for (const k of (args.sshKey as string[] | undefined) ?? []) {
    const found = privateKeyFor(expandHome(k));
    if (found) return found;
  }
  return undefined;
}

export function readPrivateKey(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read private key ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error) throw new UserError(`${path} is not a private key ferry can use (${parsed.message})`, 'a passphrase-protected key works with `ferry ssh`, which hands over to ssh and its agent');
  return text;
}

export async function endpointOf(ctx: Context, providerName: string, ip: string): Promise<SshEndpoint> {
  const creds = (await ctx.credentials()).resolve(providerName);
  return sshEndpointFor(ip, { env: ctx.env, ...(creds.endpoint ? { providerEndpoint: creds.endpoint } : {}) });
}

/** Checks the flags of a deploy that waits past `ready`, before anything is created. */
export function checkWaitFlags(stage: WaitStage | false, args: Args): void {
  if (stage !== 'cloud-init') return;
  const keys = (args.sshKey as string[] | undefined) ?? [];
  if (keys.length && !identityFor(args)) {
    throw new UserError('--wait cloud-init logs in to read cloud-init status, but no private key was found beside the --ssh-key file', 'give the private key with -i/--identity');
  }
}

export interface UsableOptions {
  stage: Exclude<WaitStage, 'ready'>;
  args: Args;
  rootPassword?: string;
  onProgress: (message: string) => void;
}

/** Waits for SSH (and cloud-init) on a ready instance; records the login for `ferry ssh`. */
export async function waitUntilUsable(ctx: Context, provider: Provider, instance: Instance, o: UsableOptions): Promise<void> {
  const ip = instance.ipv4 ?? instance.ipv6;
  if (!ip) throw new UserError(`${instance.name} has no address to reach over SSH`);
  const identity = identityFor(o.args);
  const user = typeof o.args.user === 'string' ? o.args.user : defaultLoginUser(provider.name, instance.image);
  const endpoint = await endpointOf(ctx, provider.name, ip);
  const knownHosts = knownHostsPath(ctx.env);
  const alias = hostAlias(provider.name, instance.id, ip);
  recordLogin(ctx.env, provider.name, instance.id, { ...(identity ? { identity } : {}), user });
  await waitUsable(o.stage, {
    endpoint,
    login: { username: user, ...(identity ? { privateKey: readPrivateKey(identity) } : {}), ...(!identity && o.rootPassword ? { password: o.rootPassword } : {}) },
    verifyHostKey: (blob) => checkHostKey(knownHosts, alias, blob) !== 'changed',
    ...sshTimeouts(ctx, o.args),
    onProgress: o.onProgress,
  });
}
