/**
 * The one create path of the CLI. The create is journaled (with its create id) BEFORE the
 * request is sent; the provider puts that id on the server as a label. If ferry dies after
 * sending, the entry stays pending and `ferry gc` finds the server by the label.
 */
import {
  checkRequest,
  CREATE_ID_KEY,
  formatImageSpec,
  isAmbiguousCreateFailure,
  newCreateId,
  provisionFleet,
  type FleetOptions,
  type FleetResult,
  type Instance,
  type InstanceRequest,
  type OperationOptions,
  type Provider,
} from '../core/index.js';
import { inventoryInputFromInstance, type LaunchPrice, type Store } from '../store/index.js';
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
  await store.journal.begin({ createId, provider: provider.name, name: req.name, region: req.region, size: req.size, request: journalRequest(req, price) });
  let instance: Instance;
  try {
    // Just made, so nothing carries it yet: no lookup before the first send.
    instance = await provider.createInstance({ ...req, createId }, { ...o, freshCreateId: true });
  } catch (err) {
    await closeFailed(ctx, store, provider, req, createId, err);
    throw err;
  }
  crashPoint(ctx, 'create-sent');
  await recordCreated(store, provider, instance, createId, formatImageSpec(req.image), price);
  return instance;
}

/**
 * The creates of many servers of one spec through core's fleet (batch creates where the provider
 * has them), not waiting for their boots (the caller waits, then recordFleetReady). Every create id
 * is journaled, in one transaction, before the first create is sent; each server is recorded once
 * the creates are answered, each definite failure closed.
 */
export async function journaledFleet(ctx: Context, provider: Provider, reqs: InstanceRequest[], price: LaunchPrice | null, o: Omit<FleetOptions, 'wait'> = {}): Promise<FleetResult> {
  // One spec: the first request's check covers the provider's side of all of them, each name is checked here.
  await provider.validateRequest(reqs[0]!, o);
  for (const r of reqs) checkRequest(r);
  const store = await ctx.store();
  const createIds = new Map<string, string>();
  const res = await provisionFleet(provider, reqs, {
    ...o,
    wait: false,
    beforeSend: (planned) =>
      store.db.transaction(async () => {
        for (const r of planned) {
          createIds.set(r.name, r.createId);
          await store.journal.begin({ createId: r.createId, provider: provider.name, name: r.name, region: r.region, size: r.size, request: journalRequest(r, price) });
        }
        o.onProgress?.({ phase: 'create', message: `creating ${planned.length}` });
      }),
  });
  crashPoint(ctx, 'create-sent');
  // One commit for the whole fleet (each server's record is a savepoint inside it), not one per write.
  await store.db.transaction(async () => {
    for (const i of res.created) await recordCreated(store, provider, i, i.labels[CREATE_ID_KEY] ?? createIds.get(i.name)!, formatImageSpec(reqs[0]!.image), price);
    for (const f of res.failed) await closeFailed(ctx, store, provider, f.request, f.request.createId!, f.error);
  });
  return res;
}

/** What the journal keeps of a request: what gc needs to show and to price an adopted server, never user data or secrets. */
function journalRequest(req: InstanceRequest, price: LaunchPrice | null) {
  return { image: formatImageSpec(req.image), labels: req.labels ?? {}, sshKeys: req.sshKeys?.length ?? 0, price };
}

/** A failed create: closed in the journal, unless the server may exist (an ambiguous failure), which gc resolves. */
async function closeFailed(ctx: Context, store: Store, provider: Provider, req: InstanceRequest, createId: string, err: unknown): Promise<void> {
  if (isAmbiguousCreateFailure(err)) {
    ctx.stderr.write(`note: the create of ${req.name} may or may not have happened; \`ferry gc\` will find it by its create id ${createId}\n`);
    return;
  }
  await store.journal.fail(createId, err);
  await store.history.record({ provider: provider.name, kind: 'create_failed', name: req.name, detail: { region: req.region, size: req.size, error: (err as Error).message } });
}

/** The create confirmed: journal entry, inventory row and history, in one transaction. */
async function recordCreated(store: Store, provider: Provider, instance: Instance, createId: string, image: string, price: LaunchPrice | null): Promise<void> {
  await store.db.transaction(async () => {
    await store.journal.confirm(createId, instance.id);
    // The image as asked (ubuntu-24.04), the same form for every provider; the store's clock dates the launch, so costs compare it with the destroy on one clock.
    await store.inventory.upsert({ ...inventoryInputFromInstance(instance, price ?? undefined), image, createdAt: undefined });
    await store.history.record({
      provider: provider.name,
      kind: 'created',
      instanceId: instance.id,
      name: instance.name,
      detail: { region: instance.region, size: instance.size, image, createId, ...(price ? { priceHourly: price.priceHourly, currency: price.currency } : {}) },
    });
  });
}

/** A fleet's servers once ready (a fleet created with `wait: false`, waited for apart), in one transaction. */
export async function recordFleetReady(ctx: Context, provider: Provider, ready: readonly Instance[]): Promise<void> {
  const store = await ctx.store();
  await store.db.transaction(async () => {
    for (const i of ready) await recordReady(store, provider, i);
  });
}

async function recordReady(store: Store, provider: Provider, ready: Instance): Promise<void> {
  await store.inventory.updateSeen(provider.name, ready.id, { status: ready.status.state, ipv4: ready.ipv4, ipv6: ready.ipv6 });
  await store.history.record({ provider: provider.name, kind: 'ready', instanceId: ready.id, name: ready.name, detail: { ipv4: ready.ipv4, ipv6: ready.ipv6 } });
}

/** Waits until the server is active with an address, showing progress, and records it. */
export async function waitAndRecord(ctx: Context, provider: Provider, instance: Instance, onProgress: (message: string) => void): Promise<Instance> {
  const ready = await provider.waitReady(instance.id, { onProgress: (p) => onProgress(p.message) });
  await recordReady(await ctx.store(), provider, ready);
  return ready;
}
