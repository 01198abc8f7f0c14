import type { ProviderDescriptor } from '../../core/index.js';

/** The EC2 endpoint is regional; the SDK resolves it from the region unless an override is given. */
export const AWS_DEFAULT_ENDPOINT = 'https://ec2.{region}.amazonaws.com';

const REGION_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const awsDescriptor: ProviderDescriptor = {
  name: 'aws',
  title: 'Amazon EC2',
  kind: 'cloud',
  credentials: [
    {
      // One of the two makes the provider configured: keys, or a named profile of the shared files.
      key: 'accessKeyId',
      env: 'AWS_ACCESS_KEY_ID',
      aliases: ['AWS_PROFILE'],
      secret: true,
      required: true,
      description:
        'access key id; or leave it unset and set AWS_PROFILE to use a profile of ~/.aws/config and ~/.aws/credentials (SSO, assumed roles, credential_process) through the AWS SDK\'s credential chain',
    },
    { key: 'secretAccessKey', env: 'AWS_SECRET_ACCESS_KEY', secret: true, required: false, description: 'secret access key of the access key id' },
    { key: 'sessionToken', env: 'AWS_SESSION_TOKEN', secret: true, required: false, description: 'session token of temporary credentials' },
    { key: 'profile', env: 'AWS_PROFILE', secret: false, required: false, description: 'named profile of the shared config files (~/.aws/config, ~/.aws/credentials)' },
    {
      key: 'region',
      env: 'AWS_REGION',
      aliases: ['AWS_DEFAULT_REGION'],
      secret: false,
      required: false,
      default: 'us-east-1',
      description: 'the region ferry lists and looks instances up in (a create goes to the region it names)',
      parse: (v) => {
        if (!REGION_RE.test(v)) throw new Error(`"${v}" is not an AWS region name such as us-east-1`);
        return v;
      },
    },
  ],
  defaultEndpoint: AWS_DEFAULT_ENDPOINT,
  apiReference: 'Amazon EC2 API Reference, API version 2016-11-15 (botocore model aws-ec2/ec2-2016-11-15.min.json), through @aws-sdk/client-ec2; AWS Price List Query API through @aws-sdk/client-pricing',
  load: () => import('./index.js'),
  prices: { bundled: () => import('./bundled-offers.json', { with: { type: 'json' } }) },
  destroy: { kind: 'immediate', note: 'the instance is terminated and billing stops; its root volume is deleted with it' },
};
