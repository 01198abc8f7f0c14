/** The official AWS SDK for JavaScript v3, unchanged, against the emulator: launch, wait, page, terminate, tokens, auth, prices. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  paginateDescribeInstances,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceTerminated,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { awsHarness } from './harness.js';
import { ACCESS_KEY, SECRET, sdkClient } from './contract-target.js';

async function ubuntuAmi(ec2: EC2Client): Promise<string> {
  const r = await ec2.send(new DescribeImagesCommand({ Owners: ['099720109477'], Filters: [{ Name: 'name', Values: ['ubuntu/images/*-24.04-amd64-server-*'] }] }));
  return r.Images![0]!.ImageId!;
}

test('the SDK launches, waits with waitUntilInstanceRunning, pages with NextToken and terminates', async (t) => {
  const h = await awsHarness(t);
  const ec2 = sdkClient(h.url);
  const ImageId = await ubuntuAmi(ec2);
  const run = await ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'sdk-1' }] }] }));
  const id = run.Instances![0]!.InstanceId!;
  assert.equal(run.Instances![0]!.State?.Name, 'pending');
  assert.deepEqual(run.Instances![0]!.Tags, [{ Key: 'Name', Value: 'sdk-1' }]);

  const waited = await waitUntilInstanceRunning({ client: ec2, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { InstanceIds: [id] });
  assert.equal(waited.state, 'SUCCESS');
  const running = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const inst = running.Reservations![0]!.Instances![0]!;
  assert.equal(inst.State?.Name, 'running');
  assert.match(inst.PublicIpAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.ok(inst.LaunchTime instanceof Date);

  const more = await ec2.send(new RunInstancesCommand({ ImageId, InstanceType: 't3.micro', MinCount: 6, MaxCount: 6 }));
  assert.deepEqual(more.Instances!.map((i) => i.AmiLaunchIndex), [0, 1, 2, 3, 4, 5], 'one reservation of six');
  const seen: string[] = [];
  let pages = 0;
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) {
    pages++;
    for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) seen.push(i.InstanceId!);
  }
  assert.equal(pages, 2, 'seven instances in pages of five');
  assert.equal(new Set(seen).size, 7);

  const term = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  assert.equal(term.TerminatingInstances![0]!.CurrentState?.Name, 'shutting-down');
  const gone = await waitUntilInstanceTerminated({ client: ec2, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { InstanceIds: [id] });
  assert.equal(gone.state, 'SUCCESS');
  const after = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['terminated'] }] }));
  assert.deepEqual(after.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)), [id], 'a terminated instance is still described for a while');
  h.conformant();
});

test('a ClientToken returns the same launch; the same token with other parameters is IdempotentParameterMismatch', async (t) => {
  const h = await awsHarness(t);
  const ec2 = sdkClient(h.url);
  const ImageId = await ubuntuAmi(ec2);
  const input = { ImageId, InstanceType: 't3.micro' as const, MinCount: 1, MaxCount: 2, ClientToken: 'token-1' };
  const a = await ec2.send(new RunInstancesCommand(input));
  const b = await ec2.send(new RunInstancesCommand(input));
  assert.equal(b.ReservationId, a.ReservationId);
  assert.deepEqual(b.Instances!.map((i) => i.InstanceId), a.Instances!.map((i) => i.InstanceId));
  await assert.rejects(ec2.send(new RunInstancesCommand({ ...input, InstanceType: 't3.small' })), (e: any) => {
    assert.equal(e.name, 'IdempotentParameterMismatch');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.ok(e.$metadata.requestId, 'the error carries the RequestID');
    return true;
  });
  const all = await ec2.send(new DescribeInstancesCommand({}));
  assert.equal(all.Reservations!.flatMap((r) => r.Instances!).length, 2, 'nothing launched twice');
  h.conformant();
});

test('signatures are verified: a wrong secret is AuthFailure 401, an unsigned request is refused, GET and POST both verify', async (t) => {
  const h = await awsHarness(t);
  await assert.rejects(sdkClient(h.url, 'not-the-secret').send(new DescribeInstancesCommand({})), (e: any) => e.name === 'AuthFailure' && e.$metadata.httpStatusCode === 401);
  const unsigned = await fetch(`${h.url}/?Action=DescribeInstances&Version=2016-11-15`);
  assert.equal(unsigned.status, 403);
  assert.match(await unsigned.text(), /<Code>MissingAuthenticationToken<\/Code>.*<RequestID>[0-9a-f-]{36}<\/RequestID>/s);
  const p = await h.make();
  assert.deepEqual(await p.listInstances(), []); // GET, signed with the query string
  await p.findOrCreateFirewall('ferry-fw'); // POST
  assert.ok(h.exchanges.some((x) => x.method === 'GET' && x.status === 200) && h.exchanges.some((x) => x.method === 'POST' && x.status === 200));
  h.conformant();
});

test('the Price List API answers GetProducts with on-demand Linux prices in the Price List format', async (t) => {
  const h = await awsHarness(t);
  const pricing = new PricingClient({ region: 'us-east-1', endpoint: h.url, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET }, maxAttempts: 1 });
  const r = await pricing.send(
    new GetProductsCommand({
      ServiceCode: 'AmazonEC2',
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
        { Type: 'TERM_MATCH', Field: 'instanceType', Value: 'c5.large' },
        { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
      ],
    }),
  );
  assert.equal(r.PriceList!.length, 1);
  const doc = JSON.parse(String(r.PriceList![0]));
  assert.equal(doc.product.attributes.instanceType, 'c5.large');
  const dim = Object.values<any>(Object.values<any>(doc.terms.OnDemand)[0].priceDimensions)[0];
  assert.equal(dim.unit, 'Hrs');
  assert.ok(Number(dim.pricePerUnit.USD) > 0.085, 'Ireland costs more than Virginia');
  const wrong = new PricingClient({ region: 'us-east-1', endpoint: h.url, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'nope' }, maxAttempts: 1 });
  await assert.rejects(wrong.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' })), (e: any) => e.$metadata.httpStatusCode === 401);
});
