/** The dashboard in a real headless Chromium (Debian's /usr/bin/chromium via playwright-core). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type BrowserContext } from 'playwright-core';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { contractAad, openCredentials } from '../../src/protocol/sealed-credentials.js';
import { agentOf, OFFERING, party, SSH_KEY, sqliteFactory } from './helpers.js';

const CHROMIUM = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
if (skip) console.warn(`\n*** ${skip} ***\n`);

describe('operator dashboard in Chromium', { skip }, () => {
  let server: ServerHandle;
  let cleanup: () => Promise<void>;
  let browser: BrowserContext;
  const profile = mkdtempSync(join(tmpdir(), 'ferry-chromium-'));

  before(async () => {
    const made = await sqliteFactory();
    cleanup = made.cleanup;
    server = await startServer({ db: made.db, operatorToken: 'op-token-for-test' });
    // A persistent context is how playwright takes a temporary --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await cleanup?.();
    rmSync(profile, { recursive: true, force: true });
  });

  it('signs in, shows contracts, history and agents, and completes a manual provisioning', async () => {
    const provider = party(server.url);
    const requester = party(server.url);
    const agent = await agentOf(server.url, provider);
    const offer = await provider.client.addOffering(OFFERING);
    const contract = await requester.client.createContract({ offering_id: offer.offering_id, requester_ssh_pubkey: SSH_KEY });
    await agent.client.acquireLock(contract.contract_id);
    await agent.client.reportStarted(contract.contract_id);
    await agent.client.heartbeat({ version: '1.2.3', provisionerType: 'manual', capabilities: [], activeContracts: 1 });

    const page = await browser.newPage();
    await page.goto(server.url + '/');
    assert.equal(new URL(page.url()).pathname, '/login', 'signed-out visitors are sent to the login form');
    await page.fill('input[name=token]', 'wrong');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('[role=alert]') ?? '', /Wrong operator token/);
    await page.fill('input[name=token]', 'op-token-for-test');
    await page.click('button[type=submit]');
    assert.equal(new URL(page.url()).pathname, '/');

    const row = page.locator(`tr[data-contract="${contract.contract_id}"]`);
    assert.equal(await row.locator('.status').textContent(), 'provisioning');
    const agentRow = page.locator(`tr[data-agent="${agent.publicKey}"]`);
    assert.match(await agentRow.textContent() ?? '', /manual[\s\S]*1\.2\.3/);

    await row.locator('a').click();
    assert.equal(await page.textContent('#status'), 'provisioning');
    await page.fill('#manual-provision input[name=external_id]', 'rack3-srv7');
    await page.fill('#manual-provision input[name=ip_address]', '192.0.2.10');
    await page.fill('#manual-provision input[name=root_password]', 'Manual-Pw-9');
    await page.click('#manual-provision button[type=submit]');
    assert.equal(await page.textContent('#status'), 'provisioned');
    assert.match(await page.textContent('#instance') ?? '', /rack3-srv7/);
    assert.doesNotMatch(await page.content(), /Manual-Pw-9/);
    const history = await page.locator('#history tbody tr').allTextContents();
    assert.match(history.at(-1)!, /provisioning\s*provisioned\s*operator:dashboard/);

    // The requester gets the password, sealed to their key.
    const sealed = await requester.client.getSealedCredentials(contract.contract_id);
    assert.equal(openCredentials(sealed, requester.secretKey, contractAad(contract.contract_id)), 'Manual-Pw-9');

    // Provisioned: nothing to tear down yet, so no termination form.
    assert.equal(await page.locator('#manual-terminate').count(), 0);
    // The requester ends it; the operator records the teardown they did by hand.
    assert.equal((await requester.client.terminateContract(contract.contract_id)).status, 'terminating');
    await page.reload();
    assert.equal(await page.textContent('#status'), 'terminating');
    await page.fill('#manual-terminate input[name=note]', 'disks wiped');
    await page.click('#manual-terminate button[type=submit]');
    assert.equal(await page.textContent('#status'), 'terminated');
    assert.equal(await page.locator('#manual-terminate').count(), 0, 'the form is gone once it is done');
    const ended = await page.locator('#history tbody tr').allTextContents();
    assert.match(ended.at(-1)!, /terminating\s*terminated\s*operator:dashboard\s*disks wiped/);
    const recorded = await requester.client.getContract(contract.contract_id);
    assert.deepEqual(recorded.history!.at(-1) && [recorded.history!.at(-1)!.to_status, recorded.history!.at(-1)!.actor], ['terminated', 'operator:dashboard']);
    await page.close();
  });

  it('offers "mark terminated" only for terminating contracts of manual offerings, and checks it on the server too', async () => {
    const provider = party(server.url);
    const requester = party(server.url);
    const manualOffer = await provider.client.addOffering(OFFERING);
    const scriptOffer = await provider.client.addOffering({ ...OFFERING, provisioner_type: 'script' });
    const running = async (offeringId: string) => {
      const c = await requester.client.createContract({ offering_id: offeringId, requester_ssh_pubkey: SSH_KEY });
      await provider.client.reportProvisioned(c.contract_id, { external_id: `x-${c.contract_id.slice(0, 6)}` });
      return c.contract_id;
    };
    const scripted = await running(scriptOffer.offering_id);
    await requester.client.terminateContract(scripted);
    const stillRunning = await running(manualOffer.offering_id);

    const page = await browser.newPage();
    await page.goto(server.url + '/login');
    await page.fill('input[name=token]', 'op-token-for-test');
    await page.click('button[type=submit]');
    await page.goto(`${server.url}/dashboard/contracts/${scripted}`);
    assert.equal(await page.textContent('#status'), 'terminating');
    assert.equal(await page.locator('#manual-terminate').count(), 0, 'an agent-run contract is torn down by its agent');
    // Posts with a valid session and CSRF token are still refused for the wrong contracts.
    await page.goto(`${server.url}/`);
    const token = await page.locator('form[action="/logout"] input[name=csrf]').getAttribute('value');
    for (const [id, why] of [[scripted, /manual provisioner/], [stillRunning, /provisioned contract/]] as const) {
      const res = await page.request.post(`${server.url}/dashboard/contracts/${id}/terminated`, { form: { csrf: token ?? '' } });
      assert.equal(res.status(), 409);
      assert.match(await res.text(), why);
    }
    assert.equal((await requester.client.getContract(scripted)).status, 'terminating');
    assert.equal((await requester.client.getContract(stillRunning)).status, 'provisioned');
    const noCsrf = await page.request.post(`${server.url}/dashboard/contracts/${stillRunning}/terminated`, { form: {} });
    assert.equal(noCsrf.status(), 403);
    await page.close();
  });

  it('refuses a form post without the CSRF token, even with a valid session', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(server.url + '/login');
    await page.fill('input[name=token]', 'op-token-for-test');
    await page.click('button[type=submit]');
    const res = await page.request.post(`${server.url}/dashboard/contracts/${'ab'.repeat(32)}/provisioned`, { form: { external_id: 'x' } });
    assert.equal(res.status(), 403);
    await page.close();
  });
});
