/** `ferry keys generate | show`: only the public half is ever printed. */
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { generateKey, loadKey, type LoadedKey } from '../market-keys.js';
import { printJson } from '../output.js';

function print(ctx: Context, args: Args, key: LoadedKey): void {
  if (args.json) printJson(ctx, { public_key: key.publicKey, key_file: key.path });
  else ctx.stdout.write(`public key  ${key.publicKey}\nkey file    ${key.path}\n`);
}

export async function generate(ctx: Context, args: Args): Promise<number> {
  const key = generateKey(ctx.env, Boolean(args.force));
  print(ctx, args, key);
  if (!args.json) ctx.stderr.write('share the public key; keep the file private (an agent can use it as provider_secret_key_file)\n');
  return 0;
}

export async function show(ctx: Context, args: Args): Promise<number> {
  const key = loadKey(ctx.env);
  if (key.warning) ctx.stderr.write(`warning: ${key.warning}\n`);
  print(ctx, args, key);
  return 0;
}
