/** The store (/inventory/product, grouped by facility), facilities, OS options and SSH keys. */
import type { Router } from '../engine/index.js';
import { FACILITIES, locationRow, OPERATING_SYSTEMS, osRow, PRODUCTS, productById, stockRow } from './catalog.js';
import { hvError, intParam } from './errors.js';
import type { HivelocityState } from './state.js';

const API = '/api/v2';
const STORES = ['MAIN', 'CUSTOM_DISPLAY', 'MASSIVESTORAGE', 'GPU', 'OUTLET', 'LANDING'];

export function registerInventory(router: Router, st: HivelocityState): void {
  router.on('GET', `${API}/inventory/product`, (req) => {
    const store = req.query.get('location') ?? 'MAIN';
    if (!STORES.includes(store)) return hvError(400, `Invalid store location '${store}'; one of ${STORES.join(', ')}`);
    const groupBy = req.query.get('group_by') ?? 'facility';
    const products = PRODUCTS.filter((p) => p.store === store);
    if (groupBy === 'flat') return { status: 200, body: { flat: products.flatMap((p) => FACILITIES.map((f) => stockRow(p, f.code))) } };
    const byFacility: Record<string, unknown[]> = {};
    for (const f of FACILITIES) byFacility[f.code] = products.map((p) => stockRow(p, f.code));
    return { status: 200, body: byFacility };
  });
  router.on('GET', `${API}/inventory/product/:id`, (req) => {
    const p = productById(intParam(req.params.id) ?? -1);
    if (!p) return hvError(404, 'Product with given id not found');
    const best = FACILITIES.find((f) => p.stock[f.code] !== 'unavailable') ?? FACILITIES[0]!;
    return { status: 200, body: stockRow(p, best.code) };
  });
  router.on('GET', `${API}/inventory/locations`, () => ({ status: 200, body: FACILITIES.map(locationRow) }));
  router.on('GET', `${API}/product/:id/operating-systems`, (req) => {
    const p = productById(intParam(req.params.id) ?? -1);
    // The real API answers an unknown product with an empty list rather than a 404.
    return { status: 200, body: p ? OPERATING_SYSTEMS.map(osRow) : [] };
  });

  router.on('GET', `${API}/ssh_key`, () => ({ status: 200, body: [...st.sshKeys.values()].map((k) => ({ ...k })) }));
  router.on('POST', `${API}/ssh_key`, (req) => {
    const b = (req.body ?? {}) as { name?: unknown; publicKey?: unknown };
    if (typeof b.name !== 'string' || !b.name || typeof b.publicKey !== 'string') return hvError(400, 'Unable to added public ssh key: name and publicKey are required');
    if (!/^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/.test(b.publicKey.trim())) return hvError(400, 'Unable to added public ssh key: RSA or Ed25519 keys only');
    return { status: 201, body: { ...st.addKey(b.name, b.publicKey) } };
  });
  router.on('GET', `${API}/ssh_key/:id`, (req) => {
    const k = st.sshKeys.get(intParam(req.params.id) ?? -1);
    return k ? { status: 200, body: { ...k } } : hvError(404, 'Public ssh key not found.');
  });
  router.on('DELETE', `${API}/ssh_key/:id`, (req) => {
    const id = intParam(req.params.id) ?? -1;
    if (!st.sshKeys.delete(id)) return hvError(404, 'Public ssh key not found.');
    return { status: 200 };
  });
}
