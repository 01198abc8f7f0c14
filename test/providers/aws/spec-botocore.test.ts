/** The botocore checker finds what is wrong, so a passing conformance check means something. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBotocore } from '../../support/spec-botocore.js';

test('requests: unknown Action, wrong Version, unknown parameter, missing required member, wrong type', (t) => {
  const spec = loadBotocore();
  if ('missing' in spec) return t.skip(spec.missing);
  const base = { Action: 'RunInstances', Version: '2016-11-15', ImageId: 'ami-1', MinCount: '1', MaxCount: '1' };
  assert.deepEqual(spec.checkRequest(base), []);
  assert.deepEqual(spec.checkRequest({ ...base, 'TagSpecification.1.ResourceType': 'instance', 'TagSpecification.1.Tag.1.Key': 'k', 'TagSpecification.1.Tag.1.Value': 'v', 'SecurityGroupId.1': 'sg-1', ClientToken: 't' }), []);
  assert.match(spec.checkRequest({ ...base, Action: 'LaunchRocket' }).join(), /unknown Action/);
  assert.match(spec.checkRequest({ ...base, Version: '2014-01-01' }).join(), /Version/);
  assert.match(spec.checkRequest({ ...base, Colour: 'red' }).join(), /Colour: not a member/);
  assert.match(spec.checkRequest({ Action: 'RunInstances', Version: '2016-11-15', MinCount: '1' }).join(), /required member MaxCount/);
  assert.match(spec.checkRequest({ ...base, MinCount: 'one' }).join(), /not an integer/);
  assert.match(spec.checkRequest({ ...base, 'SecurityGroupId.x': 'sg' }).join(), /list positions/);
  assert.match(spec.checkRequest({ Action: 'CreateTags', Version: '2016-11-15', 'ResourceId.1': 'i-1', 'Tag.1.Colour': 'x' }).join(), /Tag\.1\.Colour/);
});

test('responses: unknown element, wrong types, a list where a structure belongs, the error document', (t) => {
  const spec = loadBotocore();
  if ('missing' in spec) return t.skip(spec.missing);
  const ok = { requestId: 'r', reservationSet: [{ reservationId: 'r-1', instancesSet: [{ instanceId: 'i-1', instanceState: { code: 16, name: 'running' }, tagSet: [{ key: 'a', value: 'b' }] }] }] };
  assert.deepEqual(spec.checkResponse('DescribeInstances', 200, ok), []);
  assert.match(spec.checkResponse('DescribeInstances', 200, { requestId: 'r', reservations: [] }).join(), /reservations: not a member/);
  assert.match(spec.checkResponse('DescribeInstances', 200, { requestId: 'r', reservationSet: [{ instancesSet: [{ instanceState: { code: 'x' } }] }] }).join(), /not an integer/);
  assert.match(spec.checkResponse('DescribeInstances', 200, { requestId: 'r', reservationSet: { item: 1 } }).join(), /expected a list/);
  assert.match(spec.checkResponse('DescribeInstances', 200, { reservationSet: [] }).join(), /no requestId/);
  assert.deepEqual(spec.checkResponse('RunInstances', 400, { Errors: { Error: { Code: 'X', Message: 'm' } }, RequestID: 'r' }), []);
  assert.match(spec.checkResponse('RunInstances', 400, { error: 'x' }).join(), /error document/);
});
