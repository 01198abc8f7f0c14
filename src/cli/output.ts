/** Output for people (aligned tables, progress on stderr) and for programs (--json on stdout). */
import type { Context } from './context.js';

export function printJson(ctx: Context, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Cells come from providers and market counterparties: their control characters (escape
 * sequences that could rewrite the terminal) are shown, not obeyed.
 */
export function printable(text: string, keepNewlines = false): string {
  const unsafe = keepNewlines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g;
  return text.replace(unsafe, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Writes text that may come from a provider or counterparty, lines kept, control characters shown. */
export function writeSafe(out: { write(s: string): unknown }, text: string): void {
  out.write(printable(text, true));
}

/** Columns padded to their widest cell; the last column is not padded. */
export function formatTable(headers: readonly string[], rawRows: readonly (readonly string[])[]): string {
  const rows = rawRows.map((r) => r.map((cell) => printable(cell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n') + '\n';
}

export function printTable(ctx: Context, headers: readonly string[], rows: readonly (readonly string[])[], empty = '(none)'): void {
  ctx.stdout.write(rows.length ? formatTable(headers, rows) : `${empty}\n`);
}

export interface ProgressLine {
  /** Shows the current phase; repeated messages are not printed again. */
  update(message: string): void;
  /** Ends the line with a final message. */
  done(message?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Progress of a wait, on stderr so stdout stays clean for --json: a spinner and the phase
 * rewritten in place on a terminal, plain lines (one per change) otherwise.
 */
export function progress(ctx: Context, label: string): ProgressLine {
  const err = ctx.stderr;
  let last = '';
  if (!err.isTTY) {
    return {
      update(message) {
        if (message === last) return;
        last = message;
        err.write(`${label}: ${printable(message)}\n`);
      },
      done(message) {
        if (message) err.write(`${label}: ${message}\n`);
      },
    };
  }
  let frame = 0;
  const started = Date.now();
  const draw = () => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    err.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label}: ${last} (${secs}s)`);
  };
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    update(message) {
      last = printable(message);
      draw();
    },
    done(message) {
      clearInterval(timer);
      err.write(`\r\x1b[2K${message ? `✓ ${label}: ${message}\n` : ''}`);
    },
  };
}

/** Informational lines (what ferry is doing) go to stderr. */
export function note(ctx: Context, text: string): void {
  ctx.stderr.write(`${text}\n`);
}

export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** "3m", "2h 5m", "4d 1h": how long something has been alive. */
export function age(fromIso: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(fromIso));
  const m = Math.floor(ms / 60_000);
  if (m < 1) return `${Math.floor(ms / 1000)}s`;
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function formatLabels(labels: Record<string, string>, hide: readonly string[] = []): string {
  const entries = Object.entries(labels).filter(([k]) => !hide.includes(k));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '-';
}

/**
 * An image the same way for every provider: the spec ferry was asked for (ubuntu-24.04,
 * snapshot:123), then the provider's own name for it when that differs (an AMI id, "Ubuntu 24.04 LTS x64").
 */
export function imageLabel(asked: string | null | undefined, theirs: string | null | undefined): string {
  if (!asked) return theirs ?? '-';
  return theirs && theirs !== asked ? `${asked} (${theirs})` : asked;
}
