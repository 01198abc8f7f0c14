import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError, UserError } from '../../../src/core/index.js';
import { assertConformant, startHetzner, UBUNTU } from './support.js';

const isKind = (kind: string) => (err: unknown) => ProviderError.is(err) && err.kind === kind;

test('401: an authentication error everywhere, never "gone"; the token never shows', async (t) => {
  const h = await startHetzner(t);
  const token = 'invalid-token-8c2e91';
  const p = h.provider({ credentials: { token } });
  for (const call of [() => p.listInstances(), () => p.getInstance('42'), () => p.destroyInstance('42'), () => p.validateCredentials()]) {
    const err = await call().then(
      () => assert.fail('expected an authentication error'),
      (e: unknown) => e,
    );
    assert.ok(isKind('authentication')(err), String(err));
    assert.equal((err as ProviderError).status, 401);
    assert.ok(!JSON.stringify({ m: (err as Error).message, j: (err as ProviderError).toJSON() }).includes(token));
  }
  const raw = await h.api('GET', '/v1/servers', undefined, token);
  assert.deepEqual(raw.body, { error: { code: 'unauthorized', message: 'unable to authenticate', details: null } });
  assertConformant(h);
});

test('unknown size, region or image, or a size not sold there: UserError naming the choices, no create sent', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  const base = { name: 'bad-1', region: 'fsn1', size: 'cx22', image: UBUNTU };
  const cases: [Record<string, unknown>, RegExp, RegExp][] = [
    [{ size: 'cx9000' }, /unknown hetzner size "cx9000"/, /cx22.*cx32|cpx11/],
    [{ region: 'mars1' }, /unknown hetzner region "mars1"/, /fsn1, nbg1, hel1, ash, hil, sin/],
    [{ image: { kind: 'ubuntu', version: '12.04' } }, /unknown hetzner image "ubuntu-12.04"/, /debian-12.*ubuntu-22.04.*ubuntu-24.04/],
    [{ image: { kind: 'snapshot', id: '999' } }, /snapshot:999 does not exist/, /snapshot ls/],
    [{ region: 'ash' }, /"cx22" is not offered in ash/, /fsn1, nbg1, hel1/],
    [{ sshKeys: ['nobody'] }, /unknown SSH key "nobody"/, /public key/],
  ];
  for (const [change, message, hint] of cases) {
    const err = await p.createInstance({ ...base, ...change } as never).then(
      () => assert.fail(`expected a UserError for ${JSON.stringify(change)}`),
      (e: unknown) => e,
    );
    assert.ok(UserError.is(err), `${JSON.stringify(change)}: ${String(err)}`);
    assert.match(err.message, message);
    assert.match(err.hint ?? '', hint);
  }
  assert.equal(h.requests('POST', '/v1/servers').length, 0, 'no create request was sent');
  assertConformant(h);
});

test('capacity and quota faults are typed errors, and a create is not retried on them', async (t) => {
  const h = await startHetzner(t, {
    faults: { capacity: [{ provider: 'hetzner', region: 'fsn1', size: 'cx22' }], quota: [{ provider: 'hetzner', region: 'hel1' }] },
  });
  const p = h.provider();
  await assert.rejects(p.createInstance({ name: 'full', region: 'fsn1', size: 'cx22', image: UBUNTU }), isKind('capacity'));
  await assert.rejects(p.createInstance({ name: 'over', region: 'hel1', size: 'cx22', image: UBUNTU }), isKind('quota'));
  assert.deepEqual(h.requests('POST', '/v1/servers').map((x) => x.status), [412, 403]);
  const elsewhere = await p.createInstance({ name: 'fits', region: 'nbg1', size: 'cx22', image: UBUNTU });
  assert.equal(elsewhere.region, 'nbg1');
  assertConformant(h);
});

test('validation: instance type, region, credentials', async (t) => {
  const h = await startHetzner(t);
  const p = h.provider();
  await p.validateInstanceType('ccx63');
  await p.validateRegion('sin');
  await p.validateCredentials();
  await assert.rejects(p.validateInstanceType('t2.micro'), (e: unknown) => UserError.is(e) && /valid sizes: .*cx22/.test(e.hint ?? ''));
  await assert.rejects(p.validateRegion('us-east-1'), (e: unknown) => UserError.is(e) && /fsn1/.test(e.hint ?? ''));
  assertConformant(h);
});

test('rate limit: RateLimit-* headers and a 429 in Hetzner\'s format when the bucket is empty', async (t) => {
  // Three requests in the bucket, one back every 1,000 emulated seconds (a real second at this scale).
  const h = await startHetzner(t, { rateLimits: { hetzner: { capacity: 3, refillPerSecond: 0.001 } } });
  const first = await h.api('GET', '/v1/locations');
  assert.equal(first.headers.get('ratelimit-limit'), '3');
  assert.equal(first.headers.get('ratelimit-remaining'), '2');
  assert.match(first.headers.get('ratelimit-reset') ?? '', /^\d{10}$/);
  const burst = await Promise.all([1, 2, 3, 4].map(() => h.api('GET', '/v1/locations')));
  const limited = burst.filter((r) => r.status === 429);
  assert.ok(limited.length >= 1, 'the bucket ran dry');
  assert.equal(limited[0]!.body.error.code, 'rate_limit_exceeded');
  assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
  assertConformant(h);
});

test('rate limit: the driver spends its account\'s bucket, then paces itself instead of failing', async (t) => {
  const h = await startHetzner(t, { rateLimits: { hetzner: { capacity: 3, refillPerSecond: 0.01 } } });
  const p = h.provider();
  const regions = await Promise.all([1, 2, 3, 4, 5].map(() => p.listRegions()));
  assert.ok(regions.every((r) => r.length === 6));
  assertConformant(h);
});
