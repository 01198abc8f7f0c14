/**
 * Drives an emulator the way a third-party client does: raw HTTP shaped exactly as that client
 * sends it (headers, body members, nulls), every exchange recorded for checks against the
 * provider's own API description.
 */
import type { TestContext } from 'node:test';
import { startEmulator, type Emulator, type Exchange } from '../../src/emulator/index.js';

export interface ClientRun {
  emu: Emulator;
  url: string;
  exchanges: Exchange[];
  call(method: string, path: string, o?: { body?: unknown; headers?: Record<string, string>; form?: Record<string, string> }): Promise<{ status: number; statusText: string; headers: Headers; body: any }>;
}

export async function startFor(t: TestContext, provider: string, headers: Record<string, string>): Promise<ClientRun> {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: [provider], timeScale: 10_000, seed: 3, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls[provider]!;
  return {
    emu,
    url,
    exchanges,
    async call(method, path, o = {}) {
      const h: Record<string, string> = { ...headers, ...o.headers };
      let body: string | undefined;
      if (o.form) {
        h['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(o.form).toString();
      } else if (o.body !== undefined) {
        h['content-type'] = 'application/json';
        body = JSON.stringify(o.body);
      }
      const res = await fetch(new URL(path, url.endsWith('/') ? url : `${url}/`).toString().replace(/([^:])\/\/+/g, '$1/'), { method, headers: h, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: kept as text */
      }
      return { status: res.status, statusText: res.statusText, headers: res.headers, body: parsed };
    },
  };
}

/** Polls an emulated condition (emulated time runs 10,000x): no wall-clock sleeps of consequence. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, tries = 2000): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
