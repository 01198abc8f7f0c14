/**
 * Finding classes 10 and 12: what anyone may read of an offering (not the provider's settings
 * and script), and the operator dashboard: failed sign-ins are throttled, signing out revokes
 * the session on the server (a copied cookie stops working on every replica), and a health
 * report with a date no Date can hold does not break a page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../src/server/server.js';
import { agentOf, LOOSE_QUOTAS, OFFERING, party, SSH_KEY } from '../server/helpers.js';
import { backends, serve, Tally, type Started } from './support.js';

const TOKEN = 'security-operator-token';

async function signIn(url: string, token = TOKEN): Promise<{ status: number; cookie: string | null }> {
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(token)}`,
  });
  await res.arrayBuffer();
  return { status: res.status, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null };
}

const page = async (url: string, path: string, cookie: string) => {
  const res = await fetch(url + path, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, body: await res.text() };
};

for (const backend of await backends()) {
  describe(`offering privacy and the dashboard on ${backend.name}`, { skip: backend.skip }, () => {
    let s: Started;
    const privacy = new Tally('offering-privacy', backend.name);
    const dash = new Tally('dashboard', backend.name);

    before(async () => {
      s = await serve(backend, { quotas: LOOSE_QUOTAS, operatorToken: TOKEN });
    });
    after(async () => {
      console.log(privacy.summary());
      console.log(dash.summary());
      await s?.close();
    });

    it("keeps provisioner_config, post_provision_script and the budget out of public listings; the provider reads them signed", async () => {
      const provider = party(s.server.url);
      const secretConfig = { api_token: 'hcloud-SECRET-123', size: 'cx22' };
      await provider.client.addOffering({ ...OFFERING, provisioner_config: secretConfig, post_provision_script: 'curl -H "Authorization: Bearer SECRET-456" x' });
      for (const path of ['/api/v1/offerings', `/api/v1/providers/${provider.publicKey}/offerings`, '/api/v1/offerings?limit=1']) {
        const text = await (await fetch(s.server.url + path)).text();
        privacy.record(`GET ${path}`, !/SECRET|provisioner_config|post_provision_script|auto_accept_budget/.test(text));
      }
      const stranger = party(s.server.url);
      const theirs = await stranger.client.listOfferings(provider.publicKey);
      privacy.record('signed listing by a stranger', theirs.every((o) => !('provisioner_config' in o)));
      const full = await fetch(`${s.server.url}/api/v1/providers/${provider.publicKey}/offerings/full`);
      privacy.status('private listing unsigned', full.status, [401]);
      const strangerFull = await stranger.client.listOfferings(provider.publicKey).then(() => 200);
      assert.equal(strangerFull, 200, 'the public listing stays open to anyone');
      const { rawSigned } = await import('../server/helpers.js');
      const signedByStranger = await rawSigned(s.server.url, stranger.secretKey, { method: 'GET', path: `/api/v1/providers/${provider.publicKey}/offerings/full` });
      privacy.status('private listing signed by another key', signedByStranger.status, [403]);
      const own = await provider.client.listOwnOfferings();
      assert.equal(own[0]!.provisioner_config, JSON.stringify(secretConfig));
      const openapi = await (await fetch(`${s.server.url}/openapi.json`)).json() as { paths: Record<string, unknown> };
      assert.ok(openapi.paths['/api/v1/providers/{pubkey}/offerings/full'], 'documented');
      assert.equal(privacy.rejected, privacy.sent, privacy.summary());
    });

    it('throttles failed sign-ins, then refuses even the right token until the window passes', async () => {
      let clock = Date.now();
      const own = await startServer({ db: s.db, migrate: false, operatorToken: TOKEN, now: () => clock, quotas: { failedLoginsPerMinute: 3 } });
      try {
        for (let i = 0; i < 3; i++) dash.status(`wrong token ${i}`, (await signIn(own.url, 'guess')).status, [401]);
        const blocked = await fetch(`${own.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=guess' });
        dash.status('4th guess', blocked.status, [429]);
        assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
        dash.status('right token while throttled', (await signIn(own.url)).status, [429]);
        clock += 61_000;
        assert.equal((await signIn(own.url)).status, 303, 'the window passed');
      } finally {
        await own.close();
      }
    });

    it('signing out revokes the session everywhere: the same cookie no longer opens a page on any replica', async () => {
      const other = await startServer({ db: s.db, migrate: false, operatorToken: TOKEN });
      try {
        const { cookie } = await signIn(s.server.url);
        assert.ok(cookie);
        const overview = await page(s.server.url, '/', cookie);
        assert.equal(overview.status, 200);
        assert.equal((await page(other.url, '/', cookie)).status, 200, 'one token, every replica');
        const csrf = /name="csrf" value="([^"]+)"/.exec(overview.body)![1]!;
        const out = await fetch(`${s.server.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(csrf)}` });
        assert.equal(out.status, 303);
        dash.status('revoked cookie on this replica', (await page(s.server.url, '/', cookie)).status, [303]);
        dash.status('revoked cookie on another replica', (await page(other.url, '/', cookie)).status, [303]);
        const post = await fetch(`${other.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(csrf)}` });
        dash.status('form post with a revoked cookie', post.status, [401]);
      } finally {
        await other.close();
      }
    });

    it('renders a contract page whose health report carries a date no Date can hold', async () => {
      const provider = party(s.server.url);
      const requester = party(s.server.url);
      const agent = await agentOf(s.server.url, provider);
      const offer = await provider.client.addOffering(OFFERING);
      const c = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
      await agent.client.reportHealth(c.contract_id, { checkedAt: Date.now() * 1e6, status: 'healthy' });
      // Older rows may hold anything the column took: SQLite took 1e300 before the field checks existed.
      const extreme = s.db.dialect === 'sqlite' ? 1e300 : 9_000_000_000_000_000_000;
      await s.db.execute('UPDATE cp_health_checks SET checked_at_ns = $1 WHERE contract_id = $2', [extreme, c.contract_id]);
      const { cookie } = await signIn(s.server.url);
      const shown = await page(s.server.url, `/dashboard/contracts/${c.contract_id}`, cookie!);
      dash.status('contract page with an out-of-range health date', shown.status === 200 ? 0 : shown.status, [0]);
      assert.equal(shown.status, 200, shown.body.slice(0, 200));
      assert.equal(dash.rejected, dash.sent, dash.summary());
    });
  });
}
