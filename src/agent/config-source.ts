/**
 * Where a key sits in a TOML source, so configuration errors can name the line.
 * smol-toml reports positions only for syntax errors; semantic errors ("interval_seconds
 * must be positive") are found after parsing, so this scans the text for the key.
 */
import { UserError } from '../core/errors.js';

/** One problem with the configuration: the dotted key, its line when known, and what is wrong. */
export interface ConfigIssue {
  key: string;
  line: number | null;
  message: string;
}

export class ConfigError extends UserError {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'), `fix ${file} (see the example in \`ferry agent doctor --help\`)`);
  }
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  return `${file}${issue.line === null ? '' : `:${issue.line}`}: ${issue.key}: ${issue.message}`;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function splitDotted(key: string): string[] {
  return key
    .split('.')
    .map((p) => p.trim().replace(/^["']|["']$/g, ''))
    .filter(Boolean);
}

/** Maps every dotted key (and table header) in the source to its first line (1-based). */
export function indexKeyLines(source: string): Map<string, number> {
  const lines = new Map<string, number>();
  let table: string[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const text = stripComment(raw).trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(text);
    if (header) {
      table = splitDotted(header[1]!);
      const key = table.join('.');
      if (!lines.has(key)) lines.set(key, i + 1);
      return;
    }
    const assign = /^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=/.exec(text);
    if (!assign) return;
    const key = [...table, ...splitDotted(assign[1]!)].join('.');
    if (!lines.has(key)) lines.set(key, i + 1);
  });
  return lines;
}

/** The line of a key, else of its nearest enclosing table or inline table; null when none appears. */
export function lineOf(index: Map<string, number>, key: string): number | null {
  const parts = key.split('.');
  for (let n = parts.length; n > 0; n--) {
    const line = index.get(parts.slice(0, n).join('.'));
    if (line !== undefined) return line;
  }
  return null;
}
