import { UserError } from '../core/index.js';

/** A --since/--until flag as a Date: ISO 8601, or a duration back from now ("90d", "12h", "2w"). */
export function dateFlag(flag: string, value: unknown, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const ago = parseDuration(text);
  if (ago !== null) return new Date(now.getTime() - ago);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UserError(`${flag} ${text} is not a date`, 'use ISO 8601 (2026-01-01, 2026-01-01T12:00Z) or a duration back from now (90d, 12h, 2w)');
  return new Date(t);
}

/** "90d" → milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$/i.exec(text.trim());
  if (!m) return null;
  const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2]!.toLowerCase() as 'm' | 'min' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}
