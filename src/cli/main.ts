#!/usr/bin/env node
/**
 * The `ferry` command. Start-up loads commander and the command declarations; each command's
 * implementation (drivers, store, catalog, emulator) is imported when it runs, error reporting
 * when something failed. Shipped bundled (scripts/bundle-cli.mjs): Node 20 pays per ES module.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { COMMANDS } from './commands/index.js';
import { createContext, type Context } from './context.js';
import type { Args, CommandSpec, OptionSpec } from './define.js';
import { EXIT } from './exit-codes.js';
import { flushOutput } from './stdio.js';

const VERSION = '0.1.0';

function camel(name: string): string {
  return name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** "<targets...>" → "targets". */
function argName(syntax: string): string {
  return camel(syntax.replace(/[<>[\]]|\.\.\./g, ''));
}

function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
}

function toOption(o: OptionSpec): Option {
  const opt = new Option(o.flags, o.description);
  if (o.repeatable) {
    opt.argParser((value: string, previous: unknown) => [...((previous as unknown[] | undefined) ?? []), o.number ? parseNumber(value) : value]);
  } else if (o.number) {
    opt.argParser(parseNumber);
  }
  if (o.default !== undefined) opt.default(o.default);
  return opt;
}

interface RunState {
  ran?: Promise<number>;
}

/** A listed command has its name, description, arguments and subcommands: what the command list shows. */
function addCommand(parent: Command, spec: CommandSpec, ctx: Context, state: RunState, listed = false): void {
  const cmd = parent.command(spec.name).description(spec.description);
  for (const a of spec.args ?? []) cmd.argument(a);
  for (const sub of spec.subcommands ?? []) addCommand(cmd, sub, ctx, state, listed);
  if (listed) return;
  for (const o of spec.options ?? []) cmd.addOption(toOption(o));
  if (spec.help) cmd.addHelpText('after', `\n${spec.help}`);
  const handler = spec.handler;
  if (!handler) return;
  cmd.action((...params: unknown[]) => {
    const names = (spec.args ?? []).map(argName);
    // A parent's options (e.g. `inventory --json`) reach its subcommands: Commander parses them on the parent.
    const args: Args = { ...(params[names.length + 1] as Command).optsWithGlobals(), ...(params[names.length] as Record<string, unknown>) };
    names.forEach((n, i) => (args[n] = params[i]));
    state.ran = handler(ctx, args).then((code) => code ?? EXIT.ok);
    return state.ran.then(() => undefined);
  });
}

/**
 * What a run builds: the named command in full when the first word (or the one after `help`) names
 * one, as there are no global options taking a value; else every command listed, which is all the
 * command list and the suggestions for a typo read. Building every option was most of a start.
 */
export function commandsFor(argv: readonly string[]): { commands: readonly CommandSpec[]; listed: boolean } {
  const words = argv.filter((a) => !a.startsWith('-'));
  const word = words[0] === 'help' ? words[1] : words[0];
  const named = COMMANDS.find((c) => c.name === word);
  return named ? { commands: [named], listed: false } : { commands: COMMANDS, listed: true };
}

export function buildProgram(ctx: Context, state: RunState, { commands, listed }: ReturnType<typeof commandsFor>): Command {
  const program = new Command('ferry')
    .description('Provision servers across clouds, bare metal and Proxmox: priced, placed, journaled.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Commander's defaults read process.stdout and process.stderr, whose creation costs more than a
      // help text (see stdio.ts). ferry's help has no colours to keep or strip.
      getOutHelpWidth: () => (ctx.stdout.isTTY && process.stdout.columns) || 80,
      getErrHelpWidth: () => (ctx.stderr.isTTY && process.stderr.columns) || 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .addHelpText(
      'after',
      [
        '',
        'Try it without an account: `ferry demo` runs a deploy, listing and destroy on the built-in emulator.',
        'Exit codes: 0 ok, 1 provider or store failure, 2 usage error, 3 deployed but cloud-init failed (deploy --wait cloud-init), 4 a confirmation was declined, 5 a --wait timed out (the server exists), 70 bug in ferry, 130 interrupted (Ctrl-C).',
        'Environment:',
        '  <provider token variables>   credentials (win over $XDG_CONFIG_HOME/ferry/credentials.toml); see `ferry providers`',
        '  FERRY_<PROVIDER>_ENDPOINT    API base URL override, e.g. the emulator\'s URL',
        '  FERRY_DATABASE_URL           store: postgres://… or a SQLite path (default $XDG_DATA_HOME/ferry/ferry.db)',
        '  FERRY_TIME_SCALE             the emulator\'s --time-scale: waits and retries shrink, ages and costs follow its clock',
        '  FERRY_POLL_INTERVAL_MS       status poll interval (default 5000, or 5000/FERRY_TIME_SCALE)',
        '  FERRY_READY_TIMEOUT_MS       how long deploy waits for a server to be ready (default 300000)',
        '  FERRY_SSH_ENDPOINTS          JSON {"<ip>": "host:port", "*": …}: where servers\' SSH answers (default: the emulator\'s map, else ip:22)',
        '  FERRY_KNOWN_HOSTS            ferry\'s known_hosts (default $XDG_STATE_HOME/ferry/known_hosts); FERRY_SSH_BIN: the ssh client',
        '  FERRY_API_URL                the control plane for keys/offering/contract (or --api)',
        '  FERRY_KEY_FILE               your market key (default $XDG_CONFIG_HOME/ferry/keys/ferry_ed25519)',
        '  FERRY_DEBUG=1                stack traces on errors',
      ].join('\n'),
    );
  for (const spec of commands) addCommand(program, spec, ctx, state, listed);
  program.exitOverride();
  program.commands.forEach(function override(c: Command): void {
    c.exitOverride();
    c.commands.forEach(override);
  });
  return program;
}

export async function main(argv: string[], ctx: Context = createContext()): Promise<number> {
  const state: RunState = {};
  try {
    await buildProgram(ctx, state, commandsFor(argv)).parseAsync(argv, { from: 'user' });
    return state.ran ? await state.ran : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
      if (ok || err.exitCode === 0) return EXIT.ok;
      // Commander already printed the message; a group without a subcommand printed its help.
      return EXIT.usage;
    }
    return (await import('./errors.js')).reportError(ctx, err);
  } finally {
    await ctx.close().catch(() => undefined);
  }
}

// The AWS SDK warns on every run under Node < 22 that its future releases will need Node 22; ferry
// pins its SDK version, so a CLI user can do nothing about it (the project tracks it instead).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const code = await main(process.argv.slice(2));
// Exit explicitly (idle keep-alive sockets of fetch must not hold a finished command open), but
// only once every byte of output reached the OS: a large listing into a pipe is written in parts.
process.exit(await flushOutput(code));
