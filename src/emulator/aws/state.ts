/**
 * The emulated account: resources per region, each instance's lifecycle derived from the
 * emulated clock when read (pending → running, stopping → stopped, shutting-down → terminated,
 * a terminated instance described for an hour, then gone), ClientToken records, and AWS's
 * token buckets (request buckets per action class, plus the RunInstances resource bucket).
 */
import type { EmulatorContext } from '../engine/index.js';
import { Ec2Fault, type Params } from './query.js';

export const ACCOUNT_ID = '123456789012';
export const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };
/** How long a terminated instance is still described. */
export const TERMINATED_VISIBLE_MS = 3600_000;

interface Transition {
  at: number;
  to: string;
  then?: Transition;
}

export interface InstanceRec {
  id: string;
  region: string;
  zone: string;
  type: string;
  imageId: string;
  reservationId: string;
  launchIndex: number;
  clientToken?: string;
  keyName?: string;
  groups: { groupId: string; groupName: string }[];
  subnetId: string;
  vpcId: string;
  privateIp: string;
  publicIp?: string;
  userData?: string;
  tags: Map<string, string>;
  launchedAt: number;
  state: string;
  stateAt: number;
  next?: Transition;
  arch: string;
}

export interface Simple {
  id: string;
  region: string;
  tags: Map<string, string>;
  [k: string]: any;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Request buckets (size, refill per second), after AWS's documented throttling model. */
const REQUEST_BUCKETS = {
  nonMutating: [100, 20],
  mutating: [200, 10],
  runInstances: [50, 5],
} as const;
/** RunInstances also spends one token per instance launched. */
const RESOURCE_BUCKET = [1000, 2] as const;

export class Ec2State {
  readonly instances = new Map<string, InstanceRec>();
  readonly images = new Map<string, Simple>();
  readonly snapshots = new Map<string, Simple>();
  readonly keyPairs = new Map<string, Simple>();
  readonly groups = new Map<string, Simple>();
  readonly vpcs = new Map<string, Simple>();
  readonly subnets = new Map<string, Simple>();
  readonly volumes = new Map<string, Simple>();
  readonly tokens = new Map<string, { reservationId: string; fingerprint: string }>();
  private readonly buckets = new Map<string, Bucket>();
  private ipCounter = 1;

  constructor(readonly ctx: EmulatorContext) {}

  now(): number {
    return this.ctx.clock.now();
  }

  newId(prefix: string): string {
    let hex = '';
    while (hex.length < 17) hex += Math.floor(this.ctx.random() * 16).toString(16);
    return `${prefix}-${hex}`;
  }

  publicIp(): string {
    const n = this.ipCounter++;
    return `54.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }

  privateIp(): string {
    const n = this.ipCounter++;
    return `172.31.${(n >> 8) & 255}.${n & 255}`;
  }

  /** The instance as of now; undefined once a terminated instance is no longer described. */
  settle(inst: InstanceRec): InstanceRec | undefined {
    const now = this.now();
    while (inst.next && now >= inst.next.at) {
      const { at, to, then } = inst.next;
      inst.state = to;
      inst.stateAt = at;
      inst.next = then;
      if (to === 'running') inst.publicIp ??= this.publicIp();
      if (to === 'stopped' || to === 'terminated') delete inst.publicIp;
    }
    if (inst.state === 'terminated' && now - inst.stateAt > TERMINATED_VISIBLE_MS) {
      this.instances.delete(inst.id);
      return undefined;
    }
    return inst;
  }

  instancesIn(region: string): InstanceRec[] {
    return [...this.instances.values()].filter((i) => i.region === region).map((i) => this.settle(i)).filter((i): i is InstanceRec => !!i);
  }

  /** Schedules `to` after `ms`, then optionally another step. */
  transition(inst: InstanceRec, now: string, steps: { to: string; afterMs: number }[]): void {
    const t = this.now();
    inst.state = now;
    inst.stateAt = t;
    let chain: Transition | undefined;
    let at = t;
    const built: Transition[] = [];
    for (const s of steps) {
      at += s.afterMs;
      built.push({ at, to: s.to });
    }
    for (let i = built.length - 1; i >= 0; i--) chain = { ...built[i]!, ...(chain ? { then: chain } : {}) };
    inst.next = chain;
  }

  /** Throttles as AWS does: RequestLimitExceeded when the action's request bucket is empty (emulated seconds). */
  throttleRequest(accessKeyId: string, action: string): void {
    const kind = action === 'RunInstances' ? 'runInstances' : /^(Describe|Get|List)/.test(action) ? 'nonMutating' : 'mutating';
    const [size, refill] = REQUEST_BUCKETS[kind];
    if (!this.take(`${accessKeyId}|${kind}`, size, refill, 1)) throw new Ec2Fault(503, 'RequestLimitExceeded', 'Request limit exceeded.');
  }

  /** RunInstances' resource bucket: one token per instance launched. */
  throttleInstances(accessKeyId: string, count: number): void {
    if (!this.take(`${accessKeyId}|resource`, RESOURCE_BUCKET[0], RESOURCE_BUCKET[1], count)) {
      throw new Ec2Fault(503, 'RequestLimitExceeded', 'Request limit exceeded (RunInstances resource rate).');
    }
  }

  private take(key: string, size: number, refill: number, n: number): boolean {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: size, at: now };
    b.tokens = Math.min(size, b.tokens + ((now - b.at) / 1000) * refill);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < n) return false;
    b.tokens -= n;
    return true;
  }

  /** The default VPC of a region and its default subnets, one per zone (created on first use). */
  defaultVpc(region: string): Simple {
    const found = [...this.vpcs.values()].find((v) => v.region === region && v.isDefault);
    if (found) return found;
    const vpc: Simple = { id: this.newId('vpc'), region, tags: new Map(), cidr: '172.31.0.0/16', isDefault: true };
    this.vpcs.set(vpc.id, vpc);
    for (const [i, zone] of ['a', 'b', 'c'].entries()) {
      const s: Simple = { id: this.newId('subnet'), region, tags: new Map(), vpcId: vpc.id, zone: `${region}${zone}`, cidr: `172.31.${i * 16}.0/20`, isDefault: true };
      this.subnets.set(s.id, s);
    }
    const sg: Simple = { id: this.newId('sg'), region, tags: new Map(), name: 'default', description: 'default VPC security group', vpcId: vpc.id, ingress: [] };
    this.groups.set(sg.id, sg);
    return vpc;
  }
}

/** What makes two RunInstances calls "the same request" for ClientToken purposes. */
export function launchFingerprint(p: Params): string {
  const pick = { ImageId: p.ImageId, InstanceType: p.InstanceType, MinCount: p.MinCount, MaxCount: p.MaxCount, KeyName: p.KeyName, SubnetId: p.SubnetId };
  return JSON.stringify(pick);
}
