/**
 * The OVH row of the contract suite: the driver against the emulated API v1 with the emulator's
 * documented keys; /order exchanges checked against order.json (OVH's native schema) and
 * /dedicated/server ones against the OpenAPI file (raw.ts).
 */
import { EMULATOR_KEYS } from '../../../src/emulator/ovh/index.js';
import type { ContractTarget, RawApi } from '../../contract/targets.js';
import { until } from '../../contract/targets.js';
import { ovhRaw, ovhSpecCheck } from './raw.js';

const keysWith = (consumerKey: string) => ({ applicationKey: EMULATOR_KEYS.OVH_APPLICATION_KEY, applicationSecret: EMULATOR_KEYS.OVH_APPLICATION_SECRET, consumerKey });

const noSnapshots = () => Promise.reject(new Error('OVH dedicated servers have no snapshots'));

/** A server ordered behind ferry's back (a cart of its own), waited for until delivered; returns its service name. */
export async function orderRaw(api: RawApi, plan = '24rise01', dc = 'gra'): Promise<string> {
  const cart = await api.call('POST', '/order/cart', { ovhSubsidiary: 'FR', description: 'hand-made order' });
  const cartId = cart.body.cartId as string;
  await api.call('POST', `/order/cart/${cartId}/assign`);
  const item = await api.call('POST', `/order/cart/${cartId}/baremetalServers`, { planCode: plan, duration: 'P1M', pricingMode: 'default', quantity: 1 });
  for (const [label, value] of [['dedicated_datacenter', dc], ['dedicated_os', 'debian12_64'], ['region', 'europe']]) {
    await api.call('POST', `/order/cart/${cartId}/item/${item.body.itemId}/configuration`, { label, value });
  }
  const order = await api.call('POST', `/order/cart/${cartId}/checkout`, { autoPayWithPreferredPaymentMethod: true, waiveRetractationPeriod: true });
  if (order.status !== 200) throw new Error(`raw order: HTTP ${order.status} ${JSON.stringify(order.body)}`);
  const orderId = order.body.orderId as number;
  await until(async () => (await api.call('GET', `/me/order/${orderId}/status`)).body === 'delivered', 'the raw order');
  const [detailId] = (await api.call('GET', `/me/order/${orderId}/details`)).body;
  return (await api.call('GET', `/me/order/${orderId}/details/${detailId}`)).body.domain as string;
}

export const target: ContractTarget = {
  provider: 'ovh',
  credentials: (secret) => ({ ...keysWith(secret) }),
  secret: EMULATOR_KEYS.OVH_CONSUMER_KEY,
  valid: { region: 'gra', size: '24rise01', image: 'debian-12' },
  invalid: {
    region: { value: 'mars', names: /\bgra\b/ },
    size: { value: '99nope01', names: /\b24rise01\b/ },
    image: { value: 'ubuntu-10.04', names: /debian12_64/ },
  },
  missingId: '0123abcd-9999',
  missingSnapshotId: '0123abcd-9999',
  snapshotName: 'snap-one',
  // OVH lists are arrays of ids, whole.
  pageSize: null,
  listPage: () => null,
  isCreate: (x) => x.method === 'POST' && /^\/1\.0\/order\/cart\/[^/]+\/checkout$/.test(x.path),
  raw: (url, secret) => {
    const api = ovhRaw(url, keysWith(secret));
    return { call: (method, path, body) => api.call(method, path.startsWith('/1.0') ? path.slice(4) : path, body) };
  },
  rawUnmanaged: (api) => orderRaw(api),
  rawSnapshot: noSnapshots,
  rawSnapshotNames: noSnapshots,
  spec: () => {
    const s = ovhSpecCheck();
    return 'missing' in s ? s : { check: (x) => s.check(x) };
  },
};
