/**
 * The official @linode/api-v4 SDK, unchanged, against the emulator: create a Linode, wait for it
 * to run, list it (with an X-Filter on its tag), delete it. The SDK's URLs are absolute
 * (https://api.linode.com/v4 and /v4beta); one request interceptor on its own axios instance
 * sends them to the emulator instead, as a proxy would.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as linodeSdk from '@linode/api-v4';
import { startEmulator, type Exchange } from '../../../src/emulator/index.js';
import { linodeSpec } from './contract-target.js';

/**
 * The SDK's .d.ts files re-export directories without extensions, which NodeNext resolution cannot
 * follow; the runtime module is fine. These are the few functions used, as the SDK declares them.
 */
interface SdkLinode {
  id: number;
  label: string;
  status: string;
}
interface SdkPage<T> {
  data: T[];
  page: number;
  pages: number;
  results: number;
}
interface Interceptors {
  use(f: (config: { url?: string }) => unknown): number;
  eject(id: number): void;
}
interface LinodeSdk {
  baseRequest: { interceptors: { request: Interceptors } };
  setToken(token: string): number;
  createLinode(data: Record<string, unknown>): Promise<SdkLinode>;
  getLinode(id: number): Promise<SdkLinode>;
  getLinodes(params?: Record<string, unknown>, filter?: Record<string, unknown>): Promise<SdkPage<SdkLinode>>;
  deleteLinode(id: number): Promise<object>;
  getLinodeTypes(): Promise<SdkPage<{ id: string; gpus: number }>>;
}
const { baseRequest, createLinode, deleteLinode, getLinode, getLinodes, getLinodeTypes, setToken } = linodeSdk as unknown as LinodeSdk;

test('@linode/api-v4 creates, waits for, lists and deletes a Linode on the emulator', async (t) => {
  const exchanges: Exchange[] = [];
  const emu = await startEmulator({ providers: ['linode'], timeScale: 1000, seed: 3, observe: (x) => exchanges.push(x) });
  t.after(() => emu.close());
  const url = emu.urls.linode!;
  const redirect = baseRequest.interceptors.request.use((config) => ({ ...config, url: String(config.url).replace('https://api.linode.com', url) }));
  t.after(() => baseRequest.interceptors.request.eject(redirect));
  const auth = setToken('sdk-token-linode-1');
  t.after(() => baseRequest.interceptors.request.eject(auth));

  const types = await getLinodeTypes();
  assert.ok(types.data.some((x) => x.id === 'g1-gpu-rtx6000-1' && x.gpus === 1));

  const created = await createLinode({
    label: 'sdk-linode-1',
    region: 'us-east',
    type: 'g6-nanode-1',
    image: 'linode/ubuntu24.04',
    root_pass: 'Sdk-Emulated-Pass-2026!',
    tags: ['sdk-made'],
    metadata: { user_data: Buffer.from('#cloud-config\n').toString('base64') },
  });
  assert.equal(created.label, 'sdk-linode-1');
  assert.equal(created.status, 'provisioning');

  let status: string = created.status;
  for (let i = 0; i < 5_000 && status !== 'running'; i++) {
    await new Promise((ok) => setTimeout(ok, 2));
    status = (await getLinode(created.id)).status;
  }
  assert.equal(status, 'running', 'the Linode reaches running');

  const listed = await getLinodes({ page: 1, page_size: 25 }, { tags: 'sdk-made' });
  assert.deepEqual(listed.data.map((l) => l.id), [created.id]);
  assert.equal(listed.pages, 1);
  assert.deepEqual((await getLinodes({}, { tags: 'other-tag' })).data, []);

  await deleteLinode(created.id);
  await assert.rejects(getLinode(created.id), (e: unknown) => {
    const res = (e as { response?: { status: number; data: { errors: { reason: string }[] } } }).response;
    assert.equal(res?.status, 404);
    assert.match(res!.data.errors[0]!.reason, /not found/i, 'Linode\'s error body');
    return true;
  });
  assert.equal((await getLinodes()).results, 0);

  assert.ok(exchanges.some((x) => x.path.startsWith('/v4beta/')), 'the SDK used v4beta paths');
  const spec = linodeSpec();
  if ('missing' in spec) return t.diagnostic(spec.missing);
  assert.deepEqual(exchanges.flatMap((x) => spec.check(x)).slice(0, 10), []);
});
