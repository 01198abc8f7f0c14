/**
 * `ferry reinstall <server> --ipxe <url>`: the disk is wiped, so it asks first (refuses without a
 * terminal unless --yes), and re-reads the server before the call: the id must still name ferry's.
 */
import { ProviderError, UserError } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { EXIT } from '../errors.js';
import { ownedInstance, resolveTarget } from '../instances.js';
import { note, printJson } from '../output.js';
import { confirm } from '../prompt.js';

function ipxeUrlOf(text: unknown): string {
  const value = String(text);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`--ipxe must be an http(s) URL, got "${value}"`, 'e.g. --ipxe https://boot.example.com/install.ipxe');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--ipxe must be an http(s) URL, got "${value}"`, 'e.g. --ipxe https://boot.example.com/install.ipxe');
  return url.toString();
}

export async function run(ctx: Context, args: Args): Promise<number> {
  if (args.ipxe === undefined && args.os === undefined) throw new UserError('reinstall needs --ipxe <url> or --os <image>', 'e.g. ferry reinstall web --ipxe https://boot.example.com/install.ipxe');
  if (args.ipxe !== undefined && args.os !== undefined) throw new UserError('pass one of --ipxe and --os, not both');
  const ipxe = args.ipxe !== undefined ? ipxeUrlOf(args.ipxe) : null;
  const name = String(args.instance);
  if (!args.yes && !ctx.interactive) throw new UserError(`refusing to reinstall ${name} without confirmation: stdin is not a terminal (its disk is wiped)`, 'pass --yes to confirm');
  const target = await resolveTarget(ctx, name, typeof args.provider === 'string' ? args.provider : undefined);
  const { provider } = target;
  if (ipxe === null) {
    // No driver offers an OS reinstall through the Provider contract yet: say so before touching anything.
    throw ProviderError.notSupported(provider.name, 'reinstallOs', 'ferry reinstalls through iPXE only (--ipxe <url>); an OS-image reinstall is not part of the provider contract');
  }
  const cap = provider.capabilities.reinstallIpxe;
  if (!cap.supported) throw ProviderError.notSupported(provider.name, 'reinstallIpxe', cap.reason);
  const inst = await ownedInstance(ctx, target, 'reinstall');
  if (!args.yes && !(await confirm(ctx, `reinstall ${inst.name} (${provider.name} ${inst.id}) from ${ipxe}? Its disk is wiped.`))) {
    note(ctx, 'nothing reinstalled');
    return EXIT.declined;
  }
  await provider.reinstallIpxe(inst.id, ipxe);
  const store = await ctx.store();
  await store.history.record({ provider: provider.name, kind: 'reinstall', instanceId: inst.id, name: inst.name, detail: { ipxe } });
  if (args.json) {
    printJson(ctx, { provider: provider.name, id: inst.id, name: inst.name, ipxe, method: cap.note ?? null });
    return 0;
  }
  ctx.stdout.write(`reinstalling ${inst.name} (${provider.name} ${inst.id}) from ${ipxe}${cap.note ? `: ${cap.note}` : ''}\n`);
  return 0;
}
