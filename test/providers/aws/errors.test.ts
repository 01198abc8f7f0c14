/** Error kinds from the emulated API (capacity, quota, throttling, conflicts) and the code table; secrets never leak. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { ProviderError } from '../../../src/core/index.js';
import { fieldOf, ruleFor, toProviderError } from '../../../src/providers/aws/errors.js';
import { queryFieldsOf } from '../../support/spec-botocore.js';
import { REGION } from './contract-target.js';
import { awsHarness } from './harness.js';

const image = { kind: 'ubuntu' as const, version: '24.04' };
const isKind = (kind: string, subject?: string) => (e: unknown) => {
  assert.ok(ProviderError.is(e), `expected a ProviderError, got ${String(e)}`);
  assert.equal(e.kind, kind, e.message);
  if (subject) assert.equal(e.subject, subject);
  return true;
};

test('the code table: auth, forbidden, throttling, capacity, quota, not found, conflicts, invalid config', () => {
  const kinds = Object.fromEntries(
    ['AuthFailure', 'UnauthorizedOperation', 'RequestLimitExceeded', 'Throttling', 'InsufficientInstanceCapacity', 'InstanceLimitExceeded', 'VcpuLimitExceeded',
      'InvalidInstanceID.NotFound', 'InvalidKeyPair.Duplicate', 'IdempotentParameterMismatch', 'InvalidParameterValue', 'MissingParameter', 'InvalidAMIID.Malformed', 'Weird']
      .map((c) => [c, ruleFor(c, 400).kind]),
  );
  assert.deepEqual(kinds, {
    AuthFailure: 'authentication', UnauthorizedOperation: 'forbidden', RequestLimitExceeded: 'rate_limited', Throttling: 'rate_limited',
    InsufficientInstanceCapacity: 'capacity', InstanceLimitExceeded: 'quota', VcpuLimitExceeded: 'quota', 'InvalidInstanceID.NotFound': 'not_found',
    'InvalidKeyPair.Duplicate': 'conflict', IdempotentParameterMismatch: 'conflict', InvalidParameterValue: 'invalid_config', MissingParameter: 'invalid_config',
    'InvalidAMIID.Malformed': 'invalid_config', Weird: 'api',
  });
  assert.equal(ruleFor('Weird', 503).retryable, true);
  assert.equal(fieldOf("Value ( 3 ) for parameter maxResults is invalid."), 'maxResults');
  const leaked = toProviderError(Object.assign(new Error('secret s3cr3t-KEY in text'), { name: 'Error' }), 'X', (s) => s.split('s3cr3t-KEY').join('***'));
  assert.equal(leaked.kind, 'network');
  assert.equal(toProviderError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'X', (s) => s).kind, 'authentication');
  assert.ok(!leaked.message.includes('s3cr3t-KEY'));
});

test('capacity in every zone is a capacity error; a quota fault is a quota error; neither is retried or looked up', async (t) => {
  const h = await awsHarness(t, { faults: { capacity: [{ provider: 'aws', size: 'c5.large' }], quota: [{ provider: 'aws', size: 'c5.xlarge' }] } });
  await assert.rejects(h.provider.createInstance({ name: 'cap-1', region: REGION, size: 'c5.large', image }), isKind('capacity', 'InsufficientInstanceCapacity'));
  await assert.rejects(h.provider.createInstance({ name: 'quota-1', region: REGION, size: 'c5.xlarge', image }), isKind('quota', 'VcpuLimitExceeded'));
  assert.equal(h.exchanges.filter((x) => queryFieldsOf(x)?.Action === 'RunInstances').length, 2, 'one RunInstances each');
  h.conformant();
});

test('capacity missing in one zone only: the instance lands in another', async (t) => {
  const h = await awsHarness(t, { faults: { capacity: [{ provider: 'aws', region: 'us-east-1a', size: 't3.micro' }] } });
  const inst = await h.provider.createInstance({ name: 'zone-1', region: REGION, size: 't3.micro', image });
  const ready = await h.provider.waitReady(inst.id);
  assert.equal(ready.status.state, 'active');
  h.conformant();
});

test('throttling: an empty request bucket is RequestLimitExceeded → rate_limited; retries pause every caller on the budget', async (t) => {
  // The emulated clock nearly stands still, so the bucket of 100 does not refill during the test;
  // the driver's own budget runs on a fast clock so it never holds the calls back itself.
  const h = await awsHarness(t, { timeScale: 0.001 });
  const noRetry = await h.make({ maxRetries: 0, timeScale: 1000 });
  let throttled: unknown;
  for (let i = 0; i < 150 && !throttled; i++) await noRetry.listInstances().catch((e: unknown) => (throttled = e));
  assert.ok(throttled, 'the request bucket ran dry');
  isKind('rate_limited', 'RequestLimitExceeded')(throttled);
  assert.equal((throttled as ProviderError).retryable, true);
  assert.equal((throttled as ProviderError).status, 503);

  const patient = await h.make({ maxRetries: 3, backoffMs: () => 5, timeScale: 1000 });
  const before = h.exchanges.length;
  await assert.rejects(patient.listInstances(), isKind('rate_limited'));
  assert.equal(h.exchanges.length - before, 4, 'the first attempt and three retries');
  const budget = (patient.aws as unknown as { budget: { snapshot(): { blockedUntil: number } } }).budget;
  assert.ok(budget.snapshot().blockedUntil > 0, 'a throttle blocks the shared budget for every caller');
});

test('a refused secret never appears in errors or logs', async (t) => {
  const h = await awsHarness(t);
  const secret = 'invalid-secret-value-7a7a7a7a';
  const lines: string[] = [];
  const bad = await h.make({ secret });
  (bad.aws as unknown as { http: { log?: (l: string) => void } }).http.log = (l) => lines.push(l);
  const err = await bad.aws.ec2Call(REGION, new DescribeRegionsCommand({})).catch((e: unknown) => e);
  isKind('authentication', 'AuthFailure')(err);
  assert.ok(!JSON.stringify({ m: (err as Error).message, j: (err as ProviderError).toJSON() }).includes(secret));
  assert.ok(!lines.join('\n').includes(secret));
});
