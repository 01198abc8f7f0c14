/** Fleets on DigitalOcean: multi-create, per-server create ids, the fleet-tag listing and both rate limits (time-scaled emulator). */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { CREATE_ID_KEY, destroyFleet, FLEET_KEY, isNotOwned, parseImageSpec, provisionFleet, type Fetch, type Instance, type InstanceRequest } from '../../../src/core/index.js';
import { PROBES_PER_LISTING } from '../../../src/core/fleet/ready.js';
import { nodeFetch } from '../../../src/transport/node-fetch.js';
import { startEmulator, type Exchange, type FaultSpec } from '../../../src/emulator/index.js';
import { createProvider } from '../../../src/providers/digitalocean/index.js';
import { BATCH_KEY, parseBatchCreateId } from '../../../src/providers/digitalocean/tags.js';

async function setup(t: TestContext, faults: FaultSpec = {}, fetch?: Fetch) {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: ['digitalocean'], timeScale: 1000, seed: 3, faults, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const provider = createProvider({
    credentials: { token: 'dop_v1_fleet' },
    endpoint: emu.urls.digitalocean,
    timeouts: { pollIntervalMs: 2, instanceReadyMs: 60_000, httpRequestMs: 5_000 },
    http: { backoffMs: () => 0, budgets: new Map(), timeScale: emu.timeScale, ...(fetch ? { fetch } : {}) },
  });
  return { provider, exchanges, url: emu.urls.digitalocean! };
}

const requests = (n: number): InstanceRequest[] =>
  Array.from({ length: n }, (_, i) => ({ name: `web-${i}`, region: 'nyc3', size: 's-1vcpu-1gb', image: parseImageSpec('ubuntu-24.04'), labels: { app: 'web' } }));

const creates = (xs: Exchange[]) => xs.filter((x) => x.method === 'POST' && x.path === '/v2/droplets');

test('multi-create: ceil(N/10) creates, each droplet keeps its own create id, readiness lists only the fleet tag', async (t) => {
  const { provider, exchanges } = await setup(t);
  const res = await provisionFleet(provider, requests(45));
  assert.equal(res.failed.length, 0);
  assert.equal(res.ready.length, 45);
  assert.ok(creates(exchanges).length <= Math.ceil(45 / 10), `${creates(exchanges).length} creates`);
  const ids = new Set(res.ready.map((i) => i.labels[CREATE_ID_KEY]));
  assert.equal(ids.size, 45, 'one create id per droplet');
  for (const i of res.ready) assert.equal(parseBatchCreateId(i.labels[CREATE_ID_KEY]!)?.name, i.name);
  const fleetTag = `${FLEET_KEY}:${res.ready[0]!.labels[FLEET_KEY]}`;
  const lists = exchanges.filter((x) => x.method === 'GET' && x.path === '/v2/droplets');
  assert.ok(lists.length > 0);
  for (const x of lists) assert.equal(new URLSearchParams(x.query).get('tag_name'), fleetTag, 'only the fleet is listed');
  // A member's create id finds it again (gc, a resumed journal) with one tag-filtered listing.
  const again = await provider.createInstance({ ...requests(1)[0]!, name: res.ready[0]!.name, createId: res.ready[0]!.labels[CREATE_ID_KEY]! });
  assert.equal(again.id, res.ready[0]!.id);
});

test('batch calls go more than eight at a time by default (a fleet makes few of them), single creates at most eight', async (t) => {
  const send = nodeFetch();
  let inFlight = 0;
  let most = 0;
  const fetch: Fetch = async (url, init) => {
    if (init.method !== 'POST') return send(url, init);
    most = Math.max(most, ++inFlight);
    try {
      return await send(url, init);
    } finally {
      inFlight--;
    }
  };
  const { provider } = await setup(t, {}, fetch);
  assert.equal((await provisionFleet(provider, requests(200))).ready.length, 200);
  assert.ok(most > 8 && most <= 32, `${most} batch calls in flight at most`);
  most = 0;
  const singles = requests(20).map((r) => ({ ...r, name: `one-${r.name}` }));
  assert.equal((await provisionFleet(provider, singles, { batch: false })).ready.length, 20);
  assert.ok(most > 1 && most <= 8, `${most} single creates in flight at most`);
});

test('readiness: until a droplet is up a round reads only the oldest one, and the fleet is listed at least every fifth round', async (t) => {
  const { provider, exchanges } = await setup(t);
  const res = await provisionFleet(provider, requests(45));
  assert.equal(res.ready.length, 45);
  const ids = new Set(res.ready.map((i) => i.id));
  const lastCreate = exchanges.findLastIndex((x) => x.method === 'POST' && x.path === '/v2/droplets');
  const rounds = exchanges.slice(lastCreate + 1).filter((x) => x.method === 'GET' && x.path.startsWith('/v2/droplets'));
  const probe = (x: Exchange) => x.path !== '/v2/droplets';
  assert.ok(probe(rounds[0]!) && ids.has(rounds[0]!.path.split('/').pop()!), `the first round reads one droplet of the fleet: ${rounds[0]!.path}`);
  let inARow = 0;
  let seenUp = false;
  for (const x of rounds) {
    if (probe(x)) {
      assert.ok(!seenUp, 'no single reads once a listing has found a droplet up');
      assert.ok(++inARow <= PROBES_PER_LISTING, `${inARow} single reads in a row`);
    } else {
      inARow = 0;
      seenUp ||= (x.responseBody as { droplets: { status: string }[] }).droplets.some((d) => d.status === 'active');
    }
  }
  assert.ok(rounds.some((x) => !probe(x)), 'the fleet is listed');
});

test('a batch whose answer was lost is looked up by its tag, not sent again', async (t) => {
  const { provider, exchanges } = await setup(t, { resetAfterCommit: 1 });
  const res = await provisionFleet(provider, requests(10), { concurrency: 1 });
  assert.equal(res.failed.length, 0);
  assert.equal(res.ready.length, 10);
  assert.equal(creates(exchanges).length, 1, 'the lost batch is never re-sent');
  const lookups = exchanges.filter((x) => x.method === 'GET' && x.path === '/v2/droplets' && new URLSearchParams(x.query).get('tag_name')?.startsWith(`${BATCH_KEY}:`));
  assert.equal(lookups.length, 1);
});

test('a fleet at the minute limit loses nothing: single creates past 250 a minute wait instead of failing', async (t) => {
  const { provider, exchanges } = await setup(t);
  const res = await provisionFleet(provider, requests(300), { batch: false, concurrency: 16 });
  assert.equal(res.failed.length, 0, String(res.failed[0]?.error));
  assert.equal(res.ready.length, 300);
  assert.equal(creates(exchanges).filter((x) => x.status === 202).length, 300, 'no duplicate');
});

test('the emulator answers 429 past 250 requests in a minute, with the hourly headers and Retry-After', async (t) => {
  const emu = await startEmulator({ providers: ['digitalocean'], timeScale: 1 });
  t.after(() => emu.close());
  let last: Response | undefined;
  for (let i = 0; i < 251; i++) {
    last = await fetch(`${emu.urls.digitalocean}/v2/regions`, { headers: { authorization: 'Bearer dop_v1_minute' } });
    if (i < 250) assert.equal(last.status, 200, `request ${i + 1}`);
    await last.arrayBuffer();
  }
  assert.equal(last!.status, 429);
  assert.equal(last!.headers.get('ratelimit-limit'), '5000');
  assert.equal(last!.headers.get('ratelimit-remaining'), '0', 'a spent minute reads as none remaining');
  assert.ok(Number(last!.headers.get('retry-after')) >= 1 && Number(last!.headers.get('retry-after')) <= 60);
  assert.ok(Number(last!.headers.get('ratelimit-reset')) > Date.now() / 1000);
});

const fleetTagOf = (i: Instance) => `${FLEET_KEY}:${i.labels[FLEET_KEY]}`;

test('destroyFleet: a fleet all of ferry\'s goes with one DELETE by its tag, after one listing of the tag', async (t) => {
  const { provider, exchanges } = await setup(t);
  const { ready } = await provisionFleet(provider, requests(25));
  const from = exchanges.length;
  const res = await destroyFleet(provider, ready);
  assert.deepEqual([res.destroyed.length, res.gone.length, res.failed.length], [25, 0, 0]);
  const sent = exchanges.slice(from);
  const deletes = sent.filter((x) => x.method === 'DELETE');
  assert.deepEqual(deletes.map((x) => [x.path, new URLSearchParams(x.query).get('tag_name'), x.status]), [['/v2/droplets', fleetTagOf(ready[0]!), 204]]);
  assert.equal(sent.filter((x) => x.method === 'GET' && x.path !== '/v2/droplets').length, 0, 'no droplet read one by one');
  assert.deepEqual(await provider.listInstances({ labels: { [FLEET_KEY]: ready[0]!.labels[FLEET_KEY]! } }), []);
});

test('destroyFleet: a droplet that is not ferry\'s but carries the fleet tag stays; ferry\'s own go one by one', async (t) => {
  const { provider, exchanges, url } = await setup(t);
  const { ready } = await provisionFleet(provider, requests(5));
  // Another tool's droplet carries the fleet's tag, and nothing of ferry's.
  const made = await fetch(`${url}/v2/droplets`, {
    method: 'POST',
    headers: { authorization: 'Bearer dop_v1_fleet', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'theirs', region: 'nyc3', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64', tags: [fleetTagOf(ready[0]!)] }),
  });
  const body = (await made.json()) as { droplet: { id: number } };
  assert.equal(made.status, 202, JSON.stringify(body));
  const foreign = body.droplet;
  const from = exchanges.length;
  const res = await destroyFleet(provider, ready);
  assert.deepEqual([res.destroyed.length, res.failed.length], [5, 0]);
  const deletes = exchanges.slice(from).filter((x) => x.method === 'DELETE');
  assert.deepEqual(deletes.map((x) => x.path).sort(), ready.map((i) => `/v2/droplets/${i.id}`).sort(), 'no DELETE by tag');
  assert.equal((await provider.getInstance(String(foreign.id)))?.name, 'theirs');
});

test('destroyFleet: an id that names another droplet now is refused and left alone; one already gone counts as gone', async (t) => {
  const { provider, exchanges } = await setup(t);
  const { ready } = await provisionFleet(provider, requests(4));
  const [stale, away, ...rest] = ready as [Instance, Instance, ...Instance[]];
  await provider.destroyInstance(away.id);
  const recorded = { ...stale, labels: { ...stale.labels, [CREATE_ID_KEY]: 'batch-0123456789abcdef.web-9' } };
  const from = exchanges.length;
  const res = await destroyFleet(provider, [recorded, away, ...rest]);
  assert.deepEqual(res.destroyed.sort(), rest.map((i) => i.id).sort());
  assert.deepEqual(res.gone, [away.id]);
  assert.equal(res.failed.length, 1);
  assert.ok(isNotOwned(res.failed[0]!.error), String(res.failed[0]!.error));
  const sent = exchanges.slice(from);
  assert.ok(!sent.some((x) => x.method === 'DELETE' && x.path === '/v2/droplets'), 'no DELETE by tag');
  assert.deepEqual(sent.filter((x) => x.method === 'GET' && x.path !== '/v2/droplets').map((x) => x.path), [`/v2/droplets/${away.id}`], 'only the one the listing missed is read alone');
  assert.ok(await provider.getInstance(stale.id), 'the droplet ferry did not make under that record is left alone');
});

test('beforeSend hears every droplet\'s create id before the first create; each is the one it carries, and a lookup by it finds the droplet', async (t) => {
  const { provider, exchanges } = await setup(t);
  let heard: string[] = [];
  const res = await provisionFleet(provider, requests(25), {
    beforeSend: async (planned) => {
      assert.equal(creates(exchanges).length, 0, 'nothing sent yet');
      heard = planned.map((r) => r.createId);
    },
  });
  assert.equal(res.ready.length, 25);
  assert.equal(creates(exchanges).length, 3, 'still batched');
  assert.deepEqual(res.ready.map((i) => i.labels[CREATE_ID_KEY]).sort(), [...heard].sort());
  // What gc does with a journal entry left pending: one listing by the create id's tag.
  const from = exchanges.length;
  const [found] = await provider.listInstances({ labels: { [CREATE_ID_KEY]: heard[7]! } });
  assert.equal(found?.labels[CREATE_ID_KEY], heard[7]);
  assert.equal(exchanges.length - from, 1);
});
