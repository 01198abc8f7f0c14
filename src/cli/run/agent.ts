/**
 * `ferry agent run | doctor | test-provision`: thin wrappers over src/agent. Provisioner
 * waits follow the same FERRY_TIME_SCALE / FERRY_POLL_INTERVAL_MS / FERRY_READY_TIMEOUT_MS as
 * the rest of the CLI, so an agent pointed at the emulator runs at the emulator's pace.
 */
import { UserError } from '../../core/errors.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { sshKeyArg } from '../market-input.js';
import { cliTimeouts } from '../providers.js';

function configOf(args: Args): string {
  if (typeof args.config !== 'string' || !args.config) throw new UserError('--config <file> is required', 'see `ferry agent --help` for an example');
  return args.config;
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const { agentRun } = await import('../../agent/index.js');
  return agentRun(
    { config: configOf(args), env: ctx.env, timeouts: cliTimeouts(ctx), ...(typeof args.stateDir === 'string' ? { stateDir: args.stateDir } : {}) },
    ctx.stdout,
  );
}

export async function doctor(ctx: Context, args: Args): Promise<number> {
  const { agentDoctor } = await import('../../agent/index.js');
  return agentDoctor({ config: configOf(args), env: ctx.env, skipApi: Boolean(args.skipApi) }, ctx.stdout);
}

export async function testProvision(ctx: Context, args: Args): Promise<number> {
  const { agentTestProvision } = await import('../../agent/index.js');
  const positive = (v: unknown, flag: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new UserError(`${flag} must be a positive whole number`);
    return v;
  };
  return agentTestProvision(
    {
      config: configOf(args),
      env: ctx.env,
      timeouts: cliTimeouts(ctx),
      cpuCores: positive(args.cpuCores, '--cpu-cores'),
      memoryMb: positive(args.memoryMb, '--memory-mb'),
      storageGb: positive(args.storageGb, '--storage-gb'),
      keep: Boolean(args.keep),
      ...(args.sshKey !== undefined ? { sshPubkey: sshKeyArg(args.sshKey) } : {}),
    },
    ctx.stdout,
  );
}
