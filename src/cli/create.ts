/**
 * The one create path of the CLI. The create is journaled (with its create id) BEFORE the
 * request is sent; the provider puts that id on the server as a label. If ferry dies after
 * sending, the entry stays pending and `ferry gc` finds the server by the label.
 */
import {
  formatImageSpec,
  isAmbiguousCreateFailure,
  newCreateId,
  type Instance,
  type InstanceRequest,
  type OperationOptions,
  type Provider,
} from '../core/index.js';
import { inventoryInputFromInstance, type LaunchPrice } from '../store/index.js';
import type { Context } from './context.js';
import { crashPoint } from './crash.js';

export async function journaledCreate(
  ctx: Context,
  provider: Provider,
  req: InstanceRequest,
  price: LaunchPrice | null,
  o: OperationOptions = {},
): Promise<Instance> {
  // Bad input fails here, before anything is journaled or recorded.
  await provider.validateRequest(req, o);
  const store = await ctx.store();
  const createId = newCreateId();
  // Only what gc needs to show and to price an adopted server: never user data or secrets.
  const request = { image: formatImageSpec(req.image), labels: req.labels ?? {}, sshKeys: req.sshKeys?.length ?? 0, price };
  await store.journal.begin({ createId, provider: provider.name, name: req.name, region: req.region, size: req.size, request });
  let instance: Instance;
  try {
    instance = await provider.createInstance({ ...req, createId }, o);
  } catch (err) {
    // After an ambiguous failure the server may exist: the entry stays pending for gc to resolve.
    if (!isAmbiguousCreateFailure(err)) {
      await store.journal.fail(createId, err);
      await store.history.record({ provider: provider.name, kind: 'create_failed', name: req.name, detail: { region: req.region, size: req.size, error: (err as Error).message } });
    } else {
      ctx.stderr.write(`note: the create of ${req.name} may or may not have happened; \`ferry gc\` will find it by its create id ${createId}\n`);
    }
    throw err;
  }
  crashPoint(ctx, 'create-sent');
  await store.db.transaction(async () => {
    await store.journal.confirm(createId, instance.id);
    // The store's own clock dates the launch, so costs compare it with the destroy on one clock.
    // The image as asked (ubuntu-24.04), the same form for every provider; the store's clock dates the launch.
    await store.inventory.upsert({ ...inventoryInputFromInstance(instance, price ?? undefined), image: request.image, createdAt: undefined });
    await store.history.record({
      provider: provider.name,
      kind: 'created',
      instanceId: instance.id,
      name: instance.name,
      detail: { region: instance.region, size: instance.size, image: request.image, createId, ...(price ? { priceHourly: price.priceHourly, currency: price.currency } : {}) },
    });
  });
  return instance;
}

/** Waits until the server is active with an address, showing progress, and records it. */
export async function waitAndRecord(ctx: Context, provider: Provider, instance: Instance, onProgress: (message: string) => void): Promise<Instance> {
  const ready = await provider.waitReady(instance.id, { onProgress: (p) => onProgress(p.message) });
  const store = await ctx.store();
  await store.inventory.updateSeen(provider.name, ready.id, { status: ready.status.state, ipv4: ready.ipv4, ipv6: ready.ipv6 });
  await store.history.record({ provider: provider.name, kind: 'ready', instanceId: ready.id, name: ready.name, detail: { ipv4: ready.ipv4, ipv6: ready.ipv6 } });
  return ready;
}
