import type { CommandSpec } from '../define.js';

/**
 * Every command, in the order --help lists them. Each is declared in the file of its name, so a
 * run loads the one declaration it was asked for; only the command list of --help loads them all.
 */
export const COMMAND_NAMES: readonly string[] = ['demo', 'providers', 'offers', 'deploy', 'ls', 'show', 'ssh', 'start', 'stop', 'reboot', 'reinstall', 'destroy', 'snapshot', 'inventory', 'history', 'costs', 'gc', 'store', 'doctor', 'config', 'emulator', 'keys', 'offering', 'contract', 'server', 'agent'];

export async function loadCommand(name: string): Promise<CommandSpec> {
  return ((await import(`./${name}.js`)) as { default: CommandSpec }).default;
}

export function loadCommands(): Promise<CommandSpec[]> {
  return Promise.all(COMMAND_NAMES.map(loadCommand));
}
