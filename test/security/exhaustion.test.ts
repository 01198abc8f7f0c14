/**
 * Finding class 2: resource exhaustion. Every stored field has a documented bound
 * (src/server/limits.ts, docs/control-plane-limits.md), and every answer is bounded in rows and
 * bytes, so one self-made key cannot make another provider's poll carry megabytes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_LIMITS, RESPONSE_LIMITS } from '../../src/server/limits.js';
import { agentOf, LOOSE_QUOTAS, OFFERING, party, rawSigned, SSH_KEY, type Party } from '../server/helpers.js';
import { backends, serve, Tally, type Started } from './support.js';

const kib = (n: number) => 'x'.repeat(n * 1024);

for (const backend of await backends()) {
  describe(`bounded fields and answers on ${backend.name}`, { skip: backend.skip }, () => {
    let s: Started;
    let provider: Party;
    let requester: Party;
    let agent: Party;
    let offeringId: string;
    const tally = new Tally('resource-exhaustion', backend.name);

    before(async () => {
      s = await serve(backend, { quotas: LOOSE_QUOTAS });
      provider = party(s.server.url);
      requester = party(s.server.url);
      agent = await agentOf(s.server.url, provider);
      offeringId = (await provider.client.addOffering(OFFERING)).offering_id;
    });
    after(async () => {
      console.log(tally.summary());
      await s?.close();
    });

    const send = async (who: Party, method: string, path: string, body: unknown, role: 'provider' | 'agent' = 'provider') =>
      (await rawSigned(s.server.url, who.secretKey, { method, path, body: JSON.stringify(body), sign: { role } })).status;

    it('refuses every field past its documented bound', async () => {
      const c = await requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
      const id = c.contract_id;
      const offerings = `/api/v1/providers/${provider.publicKey}/offerings`;
      const probes: [string, () => Promise<number>][] = [
        ['instance_config 17 KiB', () => send(requester, 'POST', '/api/v1/contracts', { offering_id: offeringId, requester_ssh_pubkey: SSH_KEY, instance_config: { blob: kib(17) } })],
        ['instance_config 900 KiB', () => send(requester, 'POST', '/api/v1/contracts', { offering_id: offeringId, requester_ssh_pubkey: SSH_KEY, instance_config: { blob: kib(900) } })],
        ['ssh key 9 KiB', () => send(requester, 'POST', '/api/v1/contracts', { offering_id: offeringId, requester_ssh_pubkey: `ssh-ed25519 ${'A'.repeat(9 * 1024)}` })],
        ['two ssh keys in one', () => send(requester, 'POST', '/api/v1/contracts', { offering_id: offeringId, requester_ssh_pubkey: `${SSH_KEY}\n${SSH_KEY}` })],
        ['provisioner_config 33 KiB', () => send(provider, 'POST', offerings, { ...OFFERING, provisioner_config: { blob: kib(33) } })],
        ['post_provision_script 33 KiB', () => send(provider, 'POST', offerings, { ...OFFERING, post_provision_script: kib(33) })],
        ['offering name 201 chars', () => send(provider, 'POST', offerings, { ...OFFERING, name: 'n'.repeat(201) })],
        ['cpu_cores 5000', () => send(provider, 'POST', offerings, { ...OFFERING, cpu_cores: 5000 })],
        ['delegation label 201 chars', () => send(provider, 'POST', `/api/v1/providers/${provider.publicKey}/agent-delegations`, { agentPubkey: agent.publicKey, label: 'l'.repeat(201) })],
        ['respond memo 1001 chars', () => send(provider, 'POST', `/api/v1/provider/rental-requests/${id}/respond`, { accept: true, memo: 'm'.repeat(1001) })],
        ['health details 5 KiB', () => send(agent, 'POST', `/api/v1/provider/contracts/${id}/health`, { checkedAt: Date.now() * 1e6, status: 'healthy', details: kib(5) }, 'agent')],
        ['health status 65 chars', () => send(agent, 'POST', `/api/v1/provider/contracts/${id}/health`, { checkedAt: Date.now() * 1e6, status: 's'.repeat(65) }, 'agent')],
        ['heartbeat with 1000 capabilities', () => send(agent, 'POST', `/api/v1/providers/${provider.publicKey}/heartbeat`, { activeContracts: 0, capabilities: Array.from({ length: 1000 }, (_, i) => `c${i}`) }, 'agent')],
        ['heartbeat capability 65 chars', () => send(agent, 'POST', `/api/v1/providers/${provider.publicKey}/heartbeat`, { activeContracts: 0, capabilities: ['c'.repeat(65)] }, 'agent')],
        ['heartbeat version 201 chars', () => send(agent, 'POST', `/api/v1/providers/${provider.publicKey}/heartbeat`, { activeContracts: 0, version: 'v'.repeat(201) }, 'agent')],
        ['reconcile 1001 instances', () => send(agent, 'POST', `/api/v1/providers/${provider.publicKey}/reconcile`, { runningInstances: Array.from({ length: 1001 }, (_, i) => ({ externalId: `vm-${i}` })) }, 'agent')],
        ['reconcile external id 257 chars', () => send(agent, 'POST', `/api/v1/providers/${provider.publicKey}/reconcile`, { runningInstances: [{ externalId: 'e'.repeat(257) }] }, 'agent')],
        ['instanceDetails 17 KiB', async () => {
          await agent.client.acquireLock(id);
          return send(agent, 'PUT', `/api/v1/provider/rental-requests/${id}/provisioning`, { status: 'provisioned', instanceDetails: JSON.stringify({ external_id: 'vm-1', additional_details: kib(17) }) }, 'agent');
        }],
        ['body over 1 MiB', () => send(requester, 'POST', '/api/v1/contracts', { offering_id: offeringId, requester_ssh_pubkey: SSH_KEY, pad: kib(1100) })],
        ['page of 501 contracts', async () => (await rawSigned(s.server.url, requester.secretKey, { method: 'GET', path: '/api/v1/contracts?limit=501' })).status],
        ['page of 501 offerings', async () => (await fetch(`${s.server.url}/api/v1/offerings?limit=501`)).status],
      ];
      for (const [name, probe] of probes) tally.status(name, await probe(), [400, 413]);
      assert.equal(tally.rejected, tally.sent, tally.summary());
      assert.equal((await requester.client.getContract(id)).instance_details, null, 'the oversized report stored nothing');
    });

    it("bounds a poll in rows and bytes however much another key stored: one self-made key cannot make another provider's polls heavy", async () => {
      // The attacker fills its contracts to the limit on a provider whose offering carries big (allowed) settings.
      const big = await provider.client.addOffering({ ...OFFERING, provisioner_config: { blob: kib(30) }, post_provision_script: kib(30) });
      const attacker = party(s.server.url);
      const config = { blob: 'y'.repeat(FIELD_LIMITS.instanceConfigBytes - 64) };
      for (let i = 0; i < RESPONSE_LIMITS.pendingRows + 10; i++) {
        await attacker.client.createContract({ offering_id: big.offering_id, requester_ssh_pubkey: SSH_KEY, instance_config: config });
      }
      const path = `/api/v1/providers/${provider.publicKey}/contracts/pending-provision`;
      const res = await rawSigned(s.server.url, agent.secretKey, { method: 'GET', path, sign: { role: 'agent' } });
      const bytes = Buffer.byteLength(JSON.stringify(res.body));
      const rows = (res.body.data as unknown[]).length;
      const rowBytes = bytes / rows;
      const bounded = rows <= RESPONSE_LIMITS.pendingRows && bytes <= RESPONSE_LIMITS.pendingBytes + rowBytes + 1024;
      tally.record(`pending-provision answer of ${rows} rows, ${Math.round(bytes / 1024)} KiB`, bounded);
      assert.ok(bounded, `${rows} rows, ${bytes} bytes`);
      assert.ok(rows >= 1, 'a bounded answer still makes progress');

      const list = await rawSigned(s.server.url, attacker.secretKey, { method: 'GET', path: '/api/v1/contracts?limit=500' });
      const listBytes = Buffer.byteLength(JSON.stringify(list.body));
      tally.record(`contract listing of ${Math.round(listBytes / 1024)} KiB`, listBytes <= RESPONSE_LIMITS.listBytes + 64 * 1024);
      const firstPage = await attacker.client.listContracts('requester', { limit: 25 });
      assert.equal(firstPage.length, 25);
      const last = firstPage[firstPage.length - 1]!;
      const second = await attacker.client.listContracts('requester', { limit: 25, before: `${last.created_at}:${last.contract_id}` });
      assert.equal(new Set([...firstPage, ...second].map((c) => c.contract_id)).size, 50, 'pages do not overlap');
      assert.equal((await attacker.client.listAllContracts()).length, RESPONSE_LIMITS.pendingRows + 10);
      assert.equal(tally.rejected, tally.sent, tally.summary());
    });
  });
}
