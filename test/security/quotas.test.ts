/**
 * Finding class 7: no key may create contracts without limit, and no offering makes its
 * provider buy servers for anonymous keys unless the provider chose automatic acceptance with a
 * spending ceiling. Quotas are checked inside the creating transaction, so a burst of parallel
 * requests (through any replica) cannot overshoot them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError } from '../../src/core/errors.js';
import { DEFAULT_QUOTAS, resolveQuotas } from '../../src/server/limits.js';
import { OFFERING, party, SSH_KEY, type Party } from '../server/helpers.js';
import { backends, serve, Tally, type Started } from './support.js';

const { auto_accept: _a, auto_accept_budget: _b, ...PLAIN } = OFFERING;

describe('quota configuration', () => {
  it('has sane defaults, reads FERRY_QUOTA_* variables, and names a bad one', () => {
    assert.deepEqual(resolveQuotas({}), DEFAULT_QUOTAS);
    assert.equal(resolveQuotas({ FERRY_QUOTA_OPEN_CONTRACTS: '3' }).openContractsPerRequester, 3);
    assert.equal(resolveQuotas({ FERRY_QUOTA_OPEN_CONTRACTS: '3' }, { openContractsPerRequester: 7 }).openContractsPerRequester, 7);
    assert.throws(() => resolveQuotas({ FERRY_QUOTA_CONTRACTS_PER_MINUTE: 'lots' }), /FERRY_QUOTA_CONTRACTS_PER_MINUTE/);
  });
});

for (const backend of await backends()) {
  describe(`per-key quotas and budgeted auto-accept on ${backend.name}`, { skip: backend.skip }, () => {
    let s: Started;
    let provider: Party;
    let clock = Date.now();
    const tally = new Tally('quotas', backend.name);

    before(async () => {
      s = await serve(backend, { now: () => clock, quotas: { contractsPerMinutePerRequester: 5, openContractsPerRequester: 8 } });
      provider = party(s.server.url);
    });
    after(async () => {
      console.log(tally.summary());
      await s?.close();
    });

    const status = (p: Promise<unknown>) => p.then(() => 200, (e: ProviderError) => e.status ?? 0);

    it('limits contracts per key per minute (429 + Retry-After), then open contracts per key', async () => {
      const offering = await provider.client.addOffering({ ...PLAIN, auto_accept: true, auto_accept_budget: 1000 });
      const requester = party(s.server.url);
      const create = () => requester.client.createContract({ offering_id: offering.offering_id, requester_ssh_pubkey: SSH_KEY });
      for (let i = 0; i < 5; i++) await create();
      const refused = await create().catch((e: ProviderError) => e);
      assert.ok(refused instanceof ProviderError && refused.status === 429, String(refused));
      assert.ok((refused.retryAfterMs ?? 0) >= 1000 && (refused.retryAfterMs ?? 0) <= 60_000, `Retry-After ${refused.retryAfterMs}`);
      tally.record('6th contract within a minute', refused.status === 429);
      for (let i = 0; i < 5; i++) tally.status(`burst ${i}`, await status(create()), [429]);
      clock += 61_000;
      for (let i = 0; i < 3; i++) await create();
      clock += 61_000;
      const overQuota = await status(create());
      tally.status('9th open contract', overQuota, [429]);
      // Ending one frees a place.
      const mine = await requester.client.listContracts();
      await requester.client.cancelContract(mine[0]!.contract_id);
      assert.equal(await status(create()), 200);
      assert.equal(tally.rejected, tally.sent, tally.summary());
    });

    it('a burst of parallel creates cannot overshoot the quota', async () => {
      const offering = await provider.client.addOffering({ ...PLAIN });
      const requester = party(s.server.url);
      const results = await Promise.all(Array.from({ length: 20 }, () => status(requester.client.createContract({ offering_id: offering.offering_id, requester_ssh_pubkey: SSH_KEY }))));
      const created = results.filter((r) => r === 200).length;
      for (const r of results.filter((x) => x !== 200)) tally.status('parallel burst', r, [429]);
      assert.equal(created, 5, `${created} created: ${results.join(',')}`);
    });

    it('accepts automatically only when the provider chose it, within its monthly ceiling', async () => {
      const plain = await provider.client.addOffering(PLAIN);
      assert.equal(plain.auto_accept, false, 'manual acceptance is the default');
      const someone = party(s.server.url);
      const waiting = await someone.client.createContract({ offering_id: plain.offering_id, requester_ssh_pubkey: SSH_KEY });
      tally.record('contract on a default offering is not auto-accepted', waiting.status === 'requested');
      tally.status('auto_accept without a ceiling', await status(provider.client.addOffering({ ...PLAIN, auto_accept: true })), [400]);
      const budgeted = await provider.client.addOffering({ ...PLAIN, monthly_price: 9.5, auto_accept: true, auto_accept_budget: 20 });
      const statuses: string[] = [];
      for (const who of [party(s.server.url), party(s.server.url), party(s.server.url)]) {
        statuses.push((await who.client.createContract({ offering_id: budgeted.offering_id, requester_ssh_pubkey: SSH_KEY })).status);
      }
      assert.deepEqual(statuses, ['pending_provisioning', 'pending_provisioning', 'requested'], 'the third would pass the 20/month ceiling');
      tally.record('contract past the ceiling waits for the provider', statuses[2] === 'requested');
      // The provider still decides: accepting by hand works past the ceiling.
      const third = (await provider.client.listContracts('provider')).find((c) => c.offering_id === budgeted.offering_id && c.status === 'requested')!;
      assert.equal((await provider.client.respond(third.contract_id, { accept: true })).status, 'pending_provisioning');
      assert.equal(tally.rejected, tally.sent, tally.summary());
    });

    it('limits offerings and agent keys per provider', async () => {
      const small = await serve(backend, { quotas: { offeringsPerProvider: 2, delegationsPerProvider: 1 } });
      try {
        const p = party(small.server.url);
        await p.client.addOffering(PLAIN);
        await p.client.addOffering(PLAIN);
        tally.status('3rd offering', await status(p.client.addOffering(PLAIN)), [429]);
        const { generateKeyPair } = await import('../../src/protocol/keys.js');
        await p.client.delegateAgent(generateKeyPair().secretKey);
        tally.status('2nd agent key', await status(p.client.delegateAgent(generateKeyPair().secretKey)), [429]);
      } finally {
        await small.close();
      }
      assert.equal(tally.rejected, tally.sent, tally.summary());
    });
  });
}
