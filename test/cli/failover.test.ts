/**
 * Failover that learns: the cheapest offer fails for capacity, placement moves on and the store
 * remembers; a second deploy a minute later (ferry's clock, injected) skips that offer without
 * sending a create for it; `offers` shows it suppressed with the reason and until when; after
 * the window the offer is tried again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../../src/cli/context.js';
import type { Args } from '../../src/cli/define.js';
import { reportError } from '../../src/cli/errors.js';
import { run as deployRun } from '../../src/cli/run/deploy.js';
import { run as offersRun } from '../../src/cli/run/offers.js';
import { createRequests, parseJson, sandbox, testEmulator, type Sandbox, type TestEmulator } from './helpers.js';

function capture() {
  let text = '';
  return { writer: { write: (s: string) => void (text += s), isTTY: false }, text: () => text };
}

describe('placement failover across deploys', () => {
  let box: Sandbox;
  let t: TestEmulator;
  let cheapest: { plan: string; region: string };
  let clock = Date.parse('2026-12-01T10:00:00.000Z');

  /** The commands run in this process (the binary's entry exits when done), on ferry's injected clock. */
  async function ferry(command: 'deploy' | 'offers', args: Args) {
    const out = capture();
    const err = capture();
    const ctx = createContext({ env: { ...box.env, ...t.env }, stdout: out.writer, stderr: err.writer, interactive: false, now: () => new Date(clock) });
    try {
      const code = await (command === 'deploy' ? deployRun : offersRun)(ctx, { limit: 30, image: 'ubuntu-24.04', ...args }).catch((e: unknown) => reportError(ctx, e));
      return { code, stdout: out.text(), stderr: err.text() };
    } finally {
      await ctx.close();
    }
  }
  const fit = { provider: ['hetzner'], minCpu: 2, minMemory: 4 };
  const deploy = (name: string, more: Args = {}) => ferry('deploy', { ...fit, name, wait: false, json: true, ...more });
  /** Creates sent for this plan in this region (Hetzner's body names both). */
  const createsOf = (o: { plan: string; region: string }) =>
    createRequests(t.exchanges).filter((x) => {
      const body = JSON.stringify(x.requestBody ?? '');
      return body.includes(`"${o.plan}"`) && body.includes(`"${o.region}"`);
    }).length;

  before(async () => {
    box = sandbox();
    // Find the cheapest x86 fit on an emulator without faults, then fault exactly that plan.
    const probeEmu = await testEmulator({ providers: ['hetzner'] });
    t = probeEmu;
    const probe = await ferry('offers', { ...fit, arch: 'x86', json: true, refresh: true });
    assert.equal(probe.code, 0, probe.stderr);
    cheapest = parseJson<{ offers: { plan: string; region: string }[] }>(probe.stdout).offers[0]!;
    await probeEmu.emu.close();
    t = await testEmulator({ providers: ['hetzner'], faults: `capacity=hetzner:${cheapest.region}:${cheapest.plan}` });
  });
  after(async () => {
    await t.emu.close();
    box.cleanup();
  });

  it('moves on after a capacity failure, then skips the suppressed offer a minute later without trying it', async () => {
    const first = await deploy('fo-1');
    assert.equal(first.code, 0, first.stderr);
    const one = parseJson<{ size: string; attempts: { offer: string; outcome: string }[] }>(first.stdout);
    assert.equal(one.attempts[0]!.outcome, 'capacity');
    assert.match(one.attempts[0]!.offer, new RegExp(`hetzner ${cheapest.plan} in ${cheapest.region}`));
    assert.equal(one.attempts.at(-1)!.outcome, 'placed');
    assert.equal(createsOf(cheapest), 1);

    const listed = await ferry('offers', { ...fit, arch: 'x86', json: true });
    const offers = parseJson<{ offers: { plan: string; region: string; suppressed?: { kind: string; reason: string; until: string } }[] }>(listed.stdout).offers;
    const marked = offers.find((o) => o.plan === cheapest.plan && o.region === cheapest.region)!;
    assert.equal(marked.suppressed?.kind, 'capacity');
    assert.ok(marked.suppressed!.reason.length > 0);
    assert.equal(marked.suppressed!.until, new Date(clock + 30 * 60_000).toISOString());
    const table = await ferry('offers', { ...fit, arch: 'x86' });
    assert.match(table.stdout, new RegExp(`${cheapest.plan}\\s+${cheapest.region}.*suppressed until 10:30Z \\(capacity: `));

    clock += 60_000;
    const second = await deploy('fo-2');
    assert.equal(second.code, 0, second.stderr);
    const two = parseJson<{ attempts: { offer: string; outcome: string }[] }>(second.stdout);
    assert.deepEqual(two.attempts.map((a) => a.outcome), ['placed']);
    assert.doesNotMatch(two.attempts[0]!.offer, new RegExp(`hetzner ${cheapest.plan} in ${cheapest.region} `));
    assert.match(second.stderr, new RegExp(`skipping hetzner ${cheapest.plan} in ${cheapest.region}: capacity`));
    assert.equal(createsOf(cheapest), 1, 'no create was sent for the suppressed offer');

    clock += 31 * 60_000;
    const third = await deploy('fo-3');
    const three = parseJson<{ attempts: { outcome: string }[] }>(third.stdout);
    assert.equal(three.attempts[0]!.outcome, 'capacity', 'after the window the offer is tried again');
    assert.equal(createsOf(cheapest), 2);
  });

  it('attempts are capped and every one is listed in the final error', async () => {
    await t.emu.close();
    t = await testEmulator({ providers: ['hetzner'], faults: 'capacity=hetzner:*:*' });
    clock += 24 * 3_600_000;
    const r = await deploy('fo-cap', { maxAttempts: 2, json: false });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /stopped after 2 attempts \(the cap; --max-attempts raises it\); \d+ more offers matched:\n\s+1\. hetzner .*: capacity[^\n]*\n\s+2\. hetzner .*: capacity/);
  });
});
