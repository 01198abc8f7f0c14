/** Questions on the terminal. Secrets are read with echo off, so they never reach the screen or shell history. */
import { createInterface } from 'node:readline/promises';
import { UserError } from '../core/index.js';
import type { Context } from './context.js';

export async function ask(ctx: Context, question: string, secret: boolean): Promise<string> {
  if (!ctx.interactive) throw new UserError(`cannot ask "${question.trim()}": stdin is not a terminal`);
  if (!secret || !process.stdin.setRawMode) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await rl.question(question)).trim();
    } finally {
      rl.close();
    }
  }
  ctx.stderr.write(question);
  return readHidden();
}

/** Reads one line in raw mode without echoing it; Ctrl-C aborts the way it does everywhere else. */
function readHidden(): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    let value = '';
    const done = (result: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (result === null) process.exit(130);
      resolve(result.trim());
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(null);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** y/N confirmation; anything but yes is no. */
export async function confirm(ctx: Context, question: string): Promise<boolean> {
  const answer = (await ctx.prompt(`${question} [y/N] `)).toLowerCase();
  return answer === 'y' || answer === 'yes';
}
