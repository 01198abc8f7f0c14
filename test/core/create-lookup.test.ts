import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BaseProvider,
  isAmbiguousCreateFailure,
  ProviderError,
  resolveTimeouts,
  no,
  type ServiceDeclarations,
  type Instance,
  type InstanceRequest,
} from '../../src/core/index.js';

const refused = no('not in this fake');
const services: ServiceDeclarations<unknown> = {
  snapshots: refused, sshKeys: refused, networks: refused, firewalls: refused, volumes: refused,
  power: refused, offers: refused, validation: refused, reinstallIpxe: refused, batchCreate: refused, batchDestroy: refused,
};

/** A driver whose create is sent but its answer lost, and whose lookup by create id then fails too. */
class LostAnswer extends BaseProvider {
  sends = 0;
  constructor(private readonly lookupError: ProviderError) {
    super({ name: 'fake', services, timeouts: resolveTimeouts(), createBackoffMs: () => 0 });
  }
  protected async preflight(): Promise<void> {}
  protected async sendCreate(_req: InstanceRequest & { createId: string }): Promise<Instance> {
    this.sends++;
    throw new ProviderError({ kind: 'network', provider: 'fake', message: 'POST /servers failed: ECONNRESET' });
  }
  protected override async findByCreateId(): Promise<Instance | null> {
    throw this.lookupError;
  }
  async destroyInstance(): Promise<void> {}
  async getInstance(): Promise<Instance | null> {
    return null;
  }
  async listInstances(): Promise<Instance[]> {
    return [];
  }
  async listRegions() {
    return [];
  }
  async listSizes() {
    return [];
  }
  async listImages() {
    return [];
  }
}

test('when the lookup after an ambiguous create failure fails itself, the create is still reported as ambiguous', async () => {
  // The CLI keeps the journal entry pending (for gc) only for ambiguous failures: a 429 or a
  // 401 on the lookup must not turn "the server may exist" into "nothing was created".
  for (const lookup of [
    new ProviderError({ kind: 'rate_limited', provider: 'fake', status: 429, message: 'rate limit exceeded' }),
    new ProviderError({ kind: 'authentication', provider: 'fake', status: 401, message: 'token revoked' }),
  ]) {
    const p = new LostAnswer(lookup);
    await assert.rejects(p.createInstance({ name: 'web-1', region: 'r', size: 's', image: { kind: 'ubuntu', version: '24.04' } }), (e) => {
      assert.ok(isAmbiguousCreateFailure(e), `${(e as Error).message}`);
      assert.match((e as Error).message, new RegExp(lookup.message));
      return true;
    });
    assert.equal(p.sends, 1, 'nothing is re-sent while the first create cannot be ruled out');
  }
});
