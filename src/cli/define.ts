/**
 * A command is a small declarative unit (wrangler's createCommand): its name, words for
 * --help, arguments, options and a handler. The handler imports its implementation when it
 * runs, so building the command tree for `ferry --help` loads none of ferry's heavy modules.
 */
import type { Context } from './context.js';

export interface OptionSpec {
  /** Commander syntax: "--min-cpu <n>", "--gpu [model]", "--yes". */
  flags: string;
  description: string;
  default?: string | boolean | number;
  /** Parsed as a number; anything else is a usage error. */
  number?: boolean;
  /** May be given several times; collected into an array. */
  repeatable?: boolean;
}

/** Positionals by name (camelCase, arrays for variadic ones) merged with options. */
export type Args = Record<string, unknown>;

export interface CommandSpec {
  name: string;
  description: string;
  /** Commander syntax: "<provider>", "<targets...>", "[name]". */
  args?: string[];
  options?: OptionSpec[];
  /** More lines for --help. */
  help?: string;
  subcommands?: CommandSpec[];
  /** Returns the exit code (0 when omitted). Absent on a group such as `config`. */
  handler?: (ctx: Context, args: Args) => Promise<number | void>;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** Options shared by the commands that place servers by constraints and by `offers`. */
export const OFFER_FILTERS: OptionSpec[] = [
  { flags: '--min-cpu <n>', description: 'at least this many vCPUs', number: true },
  { flags: '--min-memory <gb>', description: 'at least this much memory, in GB', number: true },
  { flags: '--gpu [model]', description: 'with a GPU (optionally a model such as h100)' },
  { flags: '--budget <price>', description: 'at most this hourly price (USD unless --currency)', number: true },
  { flags: '--currency <code>', description: 'currency of --budget (USD or EUR)' },
  { flags: '--region <region>', description: 'only this region (repeatable)', repeatable: true },
  { flags: '--provider <name>', description: 'only this provider (repeatable)', repeatable: true },
];

export const JSON_OPTION: OptionSpec = { flags: '--json', description: 'print JSON instead of a table' };
