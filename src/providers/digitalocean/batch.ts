/**
 * Multi-create: one POST /v2/droplets with `names` makes up to ten droplets of one spec, all with
 * the same tags. Each droplet still has its own create id: the batch tag (a hash of the batch's
 * names, spec and labels) plus its name, which a batch never repeats. A call whose answer is lost,
 * or a batch sent again, is looked up by its tag first, and only the names still missing are sent.
 */
import { createHash } from 'node:crypto';
import {
  byCodeUnits,
  checkRequest,
  isAmbiguousCreateFailure,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  normaliseRequest,
  ProviderError,
  sleep,
  type BatchCreated,
  type BatchCreateService,
  type BatchDestroyService,
  type Instance,
  type InstanceRequest,
  type OperationOptions,
} from '../../core/index.js';
import type { DigitalOceanProvider } from './index.js';
import { dropletToInstance, imageSlugOf } from './mapping.js';
import { registerKeys } from './ssh-keys.js';
import { BATCH_KEY, batchCreateId, labelsToTags, labelToTag } from './tags.js';

/** The documented maximum of `names` in one create. */
export const MAX_NAMES = 10;
/** Sends of one batch (the first included) before what is still missing is reported failed. */
const ATTEMPTS = 4;

/** What every member of a batch must share: the POST carries it once. */
function specOf(r: InstanceRequest): string {
  const labels = Object.entries(r.labels ?? {}).sort(([a], [b]) => byCodeUnits(a, b));
  return JSON.stringify([r.region, r.size, r.image, r.userData ?? null, [...(r.sshKeys ?? [])].sort(), labels]);
}

/** A batch's id: a hash of its spec and names, so the same batch sent again carries the same tag. */
function batchIdOf(spec: string, batch: readonly InstanceRequest[]): string {
  return createHash('sha256').update(JSON.stringify([spec, batch.map((r) => r.name).sort()])).digest('hex').slice(0, 16);
}

/**
 * Requests grouped by spec, in order, at most ten a batch and no name twice in one, each given the
 * create id its droplet will carry (the batch and its name), so a caller can journal it before the
 * send. A request with a create id of the caller's (a resumed journal entry) goes alone: its id must
 * be the one it keeps.
 */
export function planBatches(requests: readonly InstanceRequest[]): InstanceRequest[][] {
  const open = new Map<string, InstanceRequest[]>();
  const out: InstanceRequest[][] = [];
  for (const r of requests) {
    if (r.createId !== undefined) {
      out.push([r]);
      continue;
    }
    const key = specOf(r);
    let batch = open.get(key);
    if (!batch || batch.length >= MAX_NAMES || batch.some((b) => b.name === r.name)) {
      batch = [];
      open.set(key, batch);
      out.push(batch);
    }
    batch.push(r);
  }
  return out.map((batch) => {
    if (batch.length === 1 && batch[0]!.createId !== undefined) return batch;
    const batchId = batchIdOf(specOf(batch[0]!), batch);
    return batch.map((r) => ({ ...r, createId: batchCreateId(batchId, r.name) }));
  });
}

export function batchService(p: DigitalOceanProvider): BatchCreateService {
  /** Batches this provider object sent: sending one again looks it up first. */
  const sent = new Set<string>();
  return {
    plan: planBatches,
    create: (batch, o) => createBatch(p, sent, batch, o),
  };
}

async function createBatch(p: DigitalOceanProvider, sent: Set<string>, batch: readonly InstanceRequest[], o?: OperationOptions): Promise<BatchCreated> {
  if (batch.length === 0) return { instances: [], failed: [] };
  const spec = specOf(batch[0]!);
  const batchId = batchIdOf(spec, batch);
  // A member's create id is the batch and its name (planBatches names it); another is the caller's own, sent alone.
  const foreign = batch.some((r) => r.createId !== undefined && r.createId !== batchCreateId(batchId, r.name));
  if (foreign && batch.length === 1) return single(p, batch[0]!, o);
  // Members need no UUID of their own: the batch tag and the name find each one.
  for (const r of batch) checkRequest(r);
  if (foreign || batch.length > MAX_NAMES || batch.some((r) => specOf(r) !== spec) || new Set(batch.map((r) => r.name)).size !== batch.length) {
    throw new ProviderError({ kind: 'invalid_config', provider: p.name, message: `a DigitalOcean batch is at most ${MAX_NAMES} distinct names of one spec; plan it with planBatches` });
  }
  const first = normaliseRequest({ ...batch[0]!, createId: undefined });
  const plan = await p.batchPreflight(first, o);
  const tag = labelToTag(BATCH_KEY, batchId);
  const made = new Map<string, Instance>();
  const found = async () => {
    for (const d of await p.client.listDroplets({ tag_name: tag }, o)) made.set(d.name, dropletToInstance(d));
  };
  if (sent.has(batchId)) await found();
  let last: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const names = batch.filter((r) => !made.has(r.name)).map((r) => r.name);
    if (names.length === 0) break;
    sent.add(batchId);
    try {
      const sshKeys = await registerKeys(p.client, plan, `ferry-${first.name}`, o);
      const droplets = await p.client.createDroplets(
        {
          names,
          region: first.region,
          size: first.size,
          image: imageSlugOf(first.image),
          ...(sshKeys.length ? { ssh_keys: sshKeys } : {}),
          ...(first.userData !== undefined ? { user_data: first.userData } : {}),
          ipv6: true,
          tags: [...labelsToTags({ ...first.labels, [MANAGED_BY_KEY]: MANAGED_BY_VALUE }), tag],
        },
        o,
      );
      for (const d of droplets) made.set(d.name, dropletToInstance(d));
    } catch (err) {
      last = err;
      if (isAmbiguousCreateFailure(err)) {
        // The droplets may exist: find them by the batch tag before sending anything again.
        o?.onProgress?.({ phase: 'create', message: `batch ${batchId} failed ambiguously; looking it up by its tag` });
        await found();
      } else if (!ProviderError.is(err, 'rate_limited')) {
        break;
      } else {
        await sleep(err instanceof ProviderError ? (err.retryAfterMs ?? 1000) : 1000, o?.signal);
      }
    }
  }
  const instances: Instance[] = [];
  const failed: BatchCreated['failed'] = [];
  for (const r of batch) {
    const inst = made.get(r.name);
    if (inst) instances.push(inst);
    else failed.push({ request: r, error: last ?? new ProviderError({ kind: 'api', provider: p.name, message: `batch ${batchId} did not create ${r.name}` }) });
  }
  return { instances, failed };
}

async function single(p: DigitalOceanProvider, r: InstanceRequest, o?: OperationOptions): Promise<BatchCreated> {
  try {
    return { instances: [await p.createInstance(r, o)], failed: [] };
  } catch (error) {
    return { instances: [], failed: [{ request: r, error }] };
  }
}

/**
 * The batchDestroy service: one DELETE /v2/droplets?tag_name= for every droplet carrying a label's
 * tag (a fleet's). The tag must name exactly the droplets the caller checked, so one label only.
 */
export function tagDestroyService(p: DigitalOceanProvider): BatchDestroyService {
  return {
    destroy: async (labels, _instances, o) => {
      const entries = Object.entries(labels);
      if (entries.length !== 1) {
        throw new ProviderError({ kind: 'invalid_config', provider: p.name, message: `DigitalOcean deletes droplets by one tag; got ${entries.length} labels` });
      }
      await p.client.deleteDropletsByTag(labelToTag(...entries[0]!), o);
    },
  };
}
