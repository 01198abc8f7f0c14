/**
 * The AWS row of the contract suite: the driver against the emulated EC2 Query API, every
 * exchange checked against the botocore model. Raw calls behind ferry's back go through the
 * official SDK with the emulator's documented credentials.
 */
import { CreateImageCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { credentials as EMULATOR } from '../../../src/emulator/aws/index.js';
import type { Exchange } from '../../../src/emulator/index.js';
import type { ContractTarget, RawApi } from '../../contract/targets.js';
import { loadBotocore, queryFieldsOf } from '../../support/spec-botocore.js';

// The SDK's notice that its 2027 releases need Node 22 would repeat in every test's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const REGION = 'us-east-1';
export const ACCESS_KEY = EMULATOR.AWS_ACCESS_KEY_ID;
export const SECRET: string = EMULATOR.AWS_SECRET_ACCESS_KEY;

/** An SDK client on the emulator, retries off so a failure shows at once. */
export function sdkClient(url: string, secret = SECRET, region = REGION): EC2Client {
  return new EC2Client({ region, endpoint: url, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: secret }, maxAttempts: 1 });
}

class Sha256 {
  private h;
  constructor(secret?: unknown) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret as string);
  }
  update(d: unknown) {
    this.h.update(d as string);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {}
}

/** Raw Query calls: the body's fields as a signed form POST; the answer's XML as text. Also carries an SDK client. */
export interface AwsRawApi extends RawApi {
  ec2: EC2Client;
}

function rawApi(url: string, secret: string): AwsRawApi {
  const signer = new SignatureV4({ credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: secret }, region: REGION, service: 'ec2', sha256: Sha256 as never });
  const u = new URL(url);
  return {
    ec2: sdkClient(url, secret),
    async call(method, path, body) {
      const form = new URLSearchParams(Object.entries(body ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const signed = await signer.sign({
        method, protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path, query: {},
        headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded' }, body: form,
      });
      const res = await fetch(`${url}${path}`, { method, headers: signed.headers, body: form });
      return { status: res.status, body: await res.text() };
    },
  };
}

async function waitImage(api: AwsRawApi, id: string): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    const r = await api.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }));
    if (r.Images?.[0]?.State === 'available') return;
    await new Promise((ok) => setTimeout(ok, 2));
  }
  throw new Error(`image ${id} did not become available`);
}

function pageOf(x: Exchange): number | null {
  const f = queryFieldsOf(x);
  if (f?.Action !== 'DescribeInstances' || !f.MaxResults) return null;
  const offset = f.NextToken ? Number(Buffer.from(f.NextToken, 'base64url').toString()) : 0;
  return Math.floor(offset / Number(f.MaxResults)) + 1;
}

export const AWS: ContractTarget = {
  provider: 'aws',
  credentials: (secretAccessKey) => ({ accessKeyId: ACCESS_KEY, secretAccessKey, region: REGION }),
  secret: SECRET,
  options: { pageSize: '5' },
  valid: { region: REGION, size: 't3.micro', image: 'ubuntu-24.04' },
  invalid: {
    region: { value: 'mars-east-1', names: /\bus-east-1\b/ },
    size: { value: 't3.enormous', names: /\bt3\.micro\b/ },
    image: { value: 'ubuntu-10.04', names: /ubuntu-24\.04/ },
  },
  missingId: 'i-0123456789abcdef0',
  missingSnapshotId: 'ami-0123456789abcdef0',
  snapshotName: 'snap-one',
  pageSize: 5,
  listPage: pageOf,
  isCreate: (x) => queryFieldsOf(x)?.Action === 'RunInstances',
  raw: rawApi,
  async rawUnmanaged(api, name) {
    const { ec2 } = api as AwsRawApi;
    const images = await ec2.send(new DescribeImagesCommand({ Owners: ['136693071363'], Filters: [{ Name: 'name', Values: ['debian-12-amd64-*'] }] }));
    const r = await ec2.send(
      new RunInstancesCommand({
        ImageId: images.Images![0]!.ImageId!, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: name }, { Key: 'role', Value: 'web' }] }],
      }),
    );
    return r.Instances![0]!.InstanceId!;
  },
  async rawSnapshot(api, instanceId) {
    const name = 'hand-made-snapshot';
    const r = await (api as AwsRawApi).ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: name, NoReboot: true }));
    await waitImage(api as AwsRawApi, r.ImageId!);
    return name;
  },
  async rawSnapshotNames(api) {
    const r = await (api as AwsRawApi).ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    return (r.Images ?? []).map((i) => i.Name!);
  },
  spec: () => {
    const c = loadBotocore();
    return 'missing' in c ? c : { check: (x) => c.checkExchange(x) };
  },
};

/** The name the registry-derived contract discovery looks for. */
export const target: ContractTarget = AWS;
