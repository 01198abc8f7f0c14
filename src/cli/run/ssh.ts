/**
 * `ferry ssh <instance> [-- command…]`: resolves the instance, checks (and at first connection
 * records) its host key with ssh2, then hands over to the system's ssh with ferry's known_hosts
 * under strict checking, so agent forwarding, ~/.ssh/config and the terminal work as usual.
 */
import { spawn } from 'node:child_process';
import { UserError, ProviderError } from '../../core/index.js';
import { checkHostKey, defaultLoginUser, hostAlias, HostKeyChanged, knownHostsPath, recordedLogin, sshArgv, waitForSsh } from '../../ssh/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { resolveTarget } from '../instances.js';
import { endpointOf, expandHome, sshTimeouts } from './ssh-wait.js';

export async function run(ctx: Context, args: Args): Promise<number> {
  const target = await resolveTarget(ctx, String(args.instance), typeof args.provider === 'string' ? args.provider : undefined);
  const instance = await target.provider.getInstance(target.id);
  if (!instance) throw new UserError(`${target.name} is gone: ${target.provider.name} has no instance ${target.id}`);
  const ip = instance.ipv4 ?? instance.ipv6;
  if (!ip) throw new UserError(`${instance.name} has no address yet (status ${instance.status.state})`, '`ferry show` tells its state');
  const recorded = recordedLogin(ctx.env, instance.provider, instance.id);
  const user = typeof args.user === 'string' ? args.user : (recorded?.user ?? defaultLoginUser(instance.provider, instance.image));
  const identity = typeof args.identity === 'string' ? expandHome(args.identity) : recorded?.identity;
  const endpoint = await endpointOf(ctx, instance.provider, ip);
  const knownHosts = knownHostsPath(ctx.env);
  const alias = hostAlias(instance.provider, instance.id, ip);
  try {
    // Handshake only: sees the host key, records it the first time, refuses a changed one.
    await waitForSsh({ endpoint, login: { username: user }, verifyHostKey: (blob) => checkHostKey(knownHosts, alias, blob) !== 'changed', ...sshTimeouts(ctx, args) });
  } catch (err) {
    if (err instanceof HostKeyChanged) {
      throw new ProviderError({ kind: 'forbidden', provider: instance.provider, subject: instance.id, message: `${instance.name}: ${err.message} (recorded in ${knownHosts} as ${alias})` });
    }
    throw err;
  }
  const command = (args.command as string[] | undefined) ?? [];
  const argv = sshArgv({ endpoint, user, knownHostsFile: knownHosts, alias, ...(identity ? { identity } : {}), command, options: (args.sshOption as string[] | undefined) ?? [] });
  const bin = ctx.env.FERRY_SSH_BIN || 'ssh';
  return new Promise<number>((resolve, reject) => {
    const child = spawn(bin, argv, { stdio: 'inherit', env: ctx.env });
    child.on('error', (err) => reject(new UserError(`cannot run ${bin}: ${(err as NodeJS.ErrnoException).code ?? err.message}`, 'install OpenSSH, or set FERRY_SSH_BIN')));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + 1 : 1)));
  });
}
