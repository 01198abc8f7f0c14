/**
 * `ferry start|stop|reboot`: one power action on ferry's own server, after re-reading it (the id
 * must still name the server ferry made), waiting for the provider's action; says what it costs.
 */
import { CREATE_ID_KEY, ProviderError, type PowerAction } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { ownedInstance, resolveTarget, rowOf } from '../instances.js';
import { note, printJson } from '../output.js';

const DONE: Record<PowerAction, string> = { start: 'started', stop: 'stopped', reboot: 'rebooted' };

export async function run(ctx: Context, args: Args, action: PowerAction): Promise<number> {
  const target = await resolveTarget(ctx, String(args.instance), typeof args.provider === 'string' ? args.provider : undefined);
  const { provider } = target;
  const cap = provider.capabilities.power;
  // An unsupported service refuses with its reason before the server is even read.
  if (!cap.supported) throw ProviderError.notSupported(provider.name, 'power', cap.reason);
  await ownedInstance(ctx, target, action);
  const call = action === 'start' ? provider.startInstance : action === 'stop' ? provider.stopInstance : provider.rebootInstance;
  const after = await call.call(provider, target.id);
  const store = await ctx.store();
  if (target.record) await store.inventory.updateSeen(provider.name, after.id, { status: after.status.state, ipv4: after.ipv4, ipv6: after.ipv6 });
  await store.history.record({ provider: provider.name, kind: action, instanceId: after.id, name: after.name, detail: { createId: after.labels[CREATE_ID_KEY] ?? null } });
  const billing = cap.note ?? null;
  if (args.json) {
    printJson(ctx, { ...rowOf(after), action, billing });
    return 0;
  }
  ctx.stdout.write(`${DONE[action]} ${after.name} (${provider.name} ${after.id}): ${after.status.state}\n`);
  if (billing && action === 'stop') note(ctx, `billing: ${billing}`);
  return 0;
}
