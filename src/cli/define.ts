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
  { flags: '--gpu [model]', description: 'with a GPU; optionally model[:memory[:count]], e.g. h100, h100-pcie, "a100:80gb:2"' },
  { flags: '--arch <arch>', description: 'x86 or arm (placement picks x86 unless told)' },
  { flags: '--hours <n>', description: 'expected run time: offers are ranked on their cost over it (default 730, one month)', number: true },
  { flags: '--budget <price>', description: 'at most this hourly price over --hours (USD unless --currency)', number: true },
  { flags: '--max-lead-time <duration>', description: 'bare metal: ready at most this long after the order, e.g. 30m, 1h, 2d (hours when a bare number)' },
  { flags: '--currency <code>', description: 'currency of --budget and of the ranking column (a code in the rate table)' },
  { flags: '--region <region>', description: 'only this region (repeatable)', repeatable: true },
  { flags: '--provider <name>', description: 'only this provider (repeatable)', repeatable: true },
];

export const JSON_OPTION: OptionSpec = { flags: '--json', description: 'print JSON instead of a table' };
