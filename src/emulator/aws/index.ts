/**
 * Emulated AWS: the EC2 Query API (API version 2016-11-15; Action/Version as a form body or a
 * query string, XML answers in the EC2 namespace, AWS's error document with a RequestID) and the
 * Price List Query API (JSON 1.1 with X-Amz-Target), both at "/" as on the real endpoints.
 * Every request must carry a valid SigV4 signature made with the documented credentials below;
 * the region of the signature's scope is the region the call acts in.
 */
import type { EmuRequest, EmuResponse, EmulatedApi, EmulatorContext, Router } from '../engine/index.js';
import { REGIONS } from './catalog.js';
import { describeAvailabilityZones, describeInstanceTypeOfferings, describeInstanceTypes, describeRegions } from './describe.js';
import { createImage, deleteSnapshot, deregisterImage, describeImages, describeSnapshots } from './images.js';
import { describeInstances, rebootInstances, runInstances, stateChange, tagResources, type Call } from './instances.js';
import * as net from './network.js';
import { pricingCall, pricingError } from './pricing.js';
import { EC2_VERSION, Ec2Fault, ec2Error, ec2Response, queryFields, unflatten, type Params } from './query.js';
import { verifySigV4 } from './sigv4.js';
import { Ec2State } from './state.js';

/**
 * The emulator's documented credentials (also printed by `ferry emulator --json`): point the SDK,
 * the AWS CLI or ferry at the emulator with these. Any region of the emulated list may be used.
 */
export const credentials = Object.freeze({
  AWS_ACCESS_KEY_ID: 'FERRYEMULATORKEY0001',
  AWS_SECRET_ACCESS_KEY: 'ferryEmulatorSecretKey/0000000000000000000',
  AWS_REGION: 'us-east-1',
});

/** Regions the Price List API is served from. */
const PRICING_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'];

type Action = (st: Ec2State, c: Call, p: Params, req: EmuRequest) => Record<string, unknown>;

const ACTIONS: Record<string, Action> = {
  RunInstances: (st, c, p) => runInstances(st, c, p),
  DescribeInstances: (st, c, p) => describeInstances(st, c, p),
  StartInstances: (st, c, p) => stateChange(st, c, p, 'start'),
  StopInstances: (st, c, p) => stateChange(st, c, p, 'stop'),
  TerminateInstances: (st, c, p) => stateChange(st, c, p, 'terminate'),
  RebootInstances: (st, c, p) => rebootInstances(st, c, p),
  CreateTags: (st, c, p) => tagResources(st, c, p, false),
  DeleteTags: (st, c, p) => tagResources(st, c, p, true),
  DescribeRegions: (_st, c, p, req) => describeRegions(c, p, String(req.headers.host ?? '')),
  DescribeAvailabilityZones: (_st, c, p) => describeAvailabilityZones(c, p),
  DescribeInstanceTypes: (_st, c, p) => describeInstanceTypes(c, p),
  DescribeInstanceTypeOfferings: (_st, c, p) => describeInstanceTypeOfferings(c, p),
  DescribeImages: describeImages,
  CreateImage: createImage,
  DeregisterImage: deregisterImage,
  DescribeSnapshots: describeSnapshots,
  DeleteSnapshot: deleteSnapshot,
  ImportKeyPair: net.importKeyPair,
  DescribeKeyPairs: net.describeKeyPairs,
  DeleteKeyPair: net.deleteKeyPair,
  CreateSecurityGroup: net.createSecurityGroup,
  AuthorizeSecurityGroupIngress: net.authorizeIngress,
  DescribeSecurityGroups: net.describeSecurityGroups,
  DeleteSecurityGroup: net.deleteSecurityGroup,
  CreateVpc: net.createVpc,
  DescribeVpcs: net.describeVpcs,
  DeleteVpc: net.deleteVpc,
  CreateSubnet: net.createSubnet,
  DescribeSubnets: net.describeSubnets,
  DeleteSubnet: net.deleteSubnet,
  CreateVolume: net.createVolume,
  DescribeVolumes: net.describeVolumes,
  AttachVolume: net.attachVolume,
  DetachVolume: net.detachVolume,
  DeleteVolume: net.deleteVolume,
};

/** The engine's neutral fault codes in AWS's words. */
const ENGINE_CODES: Record<string, string> = {
  unauthorized: 'AuthFailure',
  rate_limit_exceeded: 'RequestLimitExceeded',
  service_unavailable: 'Unavailable',
  server_error: 'InternalError',
  not_found: 'InvalidAction',
  method_not_allowed: 'InvalidAction',
  invalid_input: 'InvalidParameterValue',
};

export function createApi(ctx: EmulatorContext): EmulatedApi {
  const st = new Ec2State(ctx);
  const keys = new Map([[credentials.AWS_ACCESS_KEY_ID, credentials.AWS_SECRET_ACCESS_KEY]]);

  async function pricing(req: EmuRequest): Promise<EmuResponse> {
    const auth = await verifySigV4(req, keys, PRICING_REGIONS);
    if (!auth.ok) return pricingError(auth.code === 'MissingAuthenticationToken' ? 403 : 401, 'UnrecognizedClientException', auth.message);
    if (auth.scope.service !== 'pricing') return pricingError(401, 'InvalidSignatureException', `Credential should be scoped to correct service: 'pricing'`);
    return pricingCall(String(req.headers['x-amz-target']), req.body);
  }

  async function ec2(req: EmuRequest): Promise<EmuResponse> {
    const fields = queryFields(req);
    const auth = await verifySigV4(req, keys, REGIONS);
    if (!auth.ok) return ec2Error(auth.code === 'MissingAuthenticationToken' ? 403 : 401, auth.code, auth.message);
    if (auth.scope.service !== 'ec2') return ec2Error(401, 'AuthFailure', `Credential should be scoped to correct service: 'ec2'`);
    const action = fields.Action;
    if (!action) return ec2Error(400, 'MissingAction', 'The request must contain the parameter Action');
    if (fields.Version !== EC2_VERSION) return ec2Error(400, 'InvalidParameterValue', `Version ${fields.Version ?? '(none)'} is not supported; use ${EC2_VERSION}`);
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) return ec2Error(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    const call: Call = { region: auth.scope.region, accessKeyId: auth.scope.accessKeyId };
    try {
      st.throttleRequest(call.accessKeyId, action);
      return ec2Response(action, handler(st, call, unflatten(fields), req));
    } catch (err) {
      if (err instanceof Ec2Fault) return ec2Error(err.status, err.code, err.message);
      throw err;
    }
  }

  const handle = (req: EmuRequest) => (req.headers['x-amz-target'] ? pricing(req) : ec2(req));
  return {
    name: 'aws',
    register(router: Router) {
      router.on('POST', '/', handle);
      router.on('GET', '/', handle);
    },
    // Signatures are verified per request by the handlers (it needs the whole request and is asynchronous).
    authenticate: () => true,
    errorResponse: (status, code, message) => ec2Error(status, ENGINE_CODES[code] ?? code, message),
    credentials: { ...credentials },
  };
}
