/**
 * Routes of the emulated Robot webservice (https://robot.hetzner.com/doc/webservice/en.html):
 * servers, cancellation, rescue, linux install, reset, orders on both shelves, SSH keys.
 * Bodies are forms (`authorized_key[]` repeats); answers wrap each object in its kind.
 */
import { createHash } from 'node:crypto';
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { DISTS, LANGS, MARKET, marketJson, PRODUCTS, productJson } from './catalog.js';
import { robotError } from './errors.js';
import { cancellationJson, rescueJson, serverJson, transactionJson } from './json.js';
import type { RescueSsh } from './rescue-ssh.js';
import type { RobotState, ServerRec } from './state.js';

const form = (req: EmuRequest) => new URLSearchParams(req.headers['content-type']?.includes('form') ? req.rawBody : '');
const ok = (body: unknown, status = 200): EmuResponse => ({ status, body });
const invalid = (names: string[]) => robotError(400, 'INVALID_INPUT', 'invalid input', { missing: null, invalid: names });
const missing = (names: string[]) => robotError(400, 'INVALID_INPUT', 'invalid input', { missing: names, invalid: null });
const noServer = () => robotError(404, 'SERVER_NOT_FOUND', 'Server not found');

function serverOf(st: RobotState, req: EmuRequest): ServerRec | undefined {
  const raw = req.params.n ?? '';
  return /^\d{1,12}$/.test(raw) ? st.server(Number(raw)) : undefined;
}

export function registerRobot(router: Router, st: RobotState, ssh: RescueSsh): void {
  // servers
  router.on('GET', '/server', () => {
    if (st.overServerListLimit()) return robotError(403, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', { max_request: 200, interval: 3600 });
    const list = st.live();
    return list.length ? ok(list.map((s) => ({ server: serverJson(st, s) }))) : noServer();
  });
  router.on('GET', '/server/:n', (req) => {
    const s = serverOf(st, req);
    return s ? ok({ server: serverJson(st, s, true) }) : noServer();
  });
  router.on('POST', '/server/:n', (req) => {
    const s = serverOf(st, req);
    if (!s) return noServer();
    const name = form(req).get('server_name');
    if (name === null) return missing(['server_name']);
    if (name.length > 200) return invalid(['server_name']);
    s.name = name;
    return ok({ server: serverJson(st, s, true) });
  });

  // cancellation: the server stays (cancelled: true) until the date, then leaves the account
  router.on('GET', '/server/:n/cancellation', (req) => {
    const s = serverOf(st, req);
    return s ? ok({ cancellation: cancellationJson(st, s) }) : noServer();
  });
  router.on('POST', '/server/:n/cancellation', (req) => {
    const s = serverOf(st, req);
    if (!s) return noServer();
    const f = form(req);
    const date = f.get('cancellation_date');
    if (!date) return missing(['cancellation_date']);
    const earliest = st.earliestCancellation();
    const when = date === 'now' ? new Date(st.now()).toISOString().slice(0, 10) : date;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(when) || (date !== 'now' && when < earliest)) return invalid(['cancellation_date']);
    if (f.get('reserve_location') === 'true') return robotError(409, 'SERVER_CANCELLATION_RESERVE_LOCATION_FALSE_ONLY', 'Location can not be reserved');
    if (s.cancellation) return robotError(409, 'CONFLICT', 'The server is already cancelled');
    const effectiveAt = date === 'now' ? st.now() + 1 : Date.parse(`${when}T23:59:59Z`);
    s.cancellation = { date: when, effectiveAt, reason: f.get('cancellation_reason') };
    return ok({ cancellation: cancellationJson(st, s) }, 201);
  });
  router.on('DELETE', '/server/:n/cancellation', (req) => {
    const s = serverOf(st, req);
    if (!s) return noServer();
    s.cancellation = null;
    return ok(undefined);
  });

  // rescue, linux install, reset
  router.on('GET', '/boot/:n/rescue', (req) => {
    const s = serverOf(st, req);
    return s ? ok({ rescue: rescueJson(s) }) : noServer();
  });
  router.on('POST', '/boot/:n/rescue', async (req) => {
    const s = serverOf(st, req);
    if (!s) return noServer();
    const os = form(req).get('os');
    if (!os) return missing(['os']);
    if (os !== 'linux' && os !== 'vkvm') return invalid(['os']);
    if (s.rescue && s.rescue.bootedAt === null) return robotError(409, 'BOOT_ALREADY_ENABLED', 'A boot option is already active');
    s.rescue = { password: st.newPassword(), activatedAt: st.now(), bootedAt: null };
    // Emulator only: where this emulator's rescue systems answer SSH.
    return { status: 200, body: { rescue: rescueJson(s) }, headers: { 'x-emulator-rescue-ssh': await ssh.endpoint() } };
  });
  router.on('DELETE', '/boot/:n/rescue', (req) => {
    const s = serverOf(st, req);
    if (!s) return noServer();
    const body = { rescue: { ...rescueJson(s), active: false, password: null } };
    if (s.rescue?.bootedAt === null) s.rescue = null;
    return ok(body);
  });
  router.on('POST', '/boot/:n/linux', (req) => {
    const s = serverOf(st, req);
    if (!s) return noServer();
    const f = form(req);
    const [dist, lang] = [f.get('dist'), f.get('lang')];
    if (!dist || !lang) return missing([...(dist ? [] : ['dist']), ...(lang ? [] : ['lang'])]);
    if (!DISTS.includes(dist) || !LANGS.includes(lang)) return invalid([...(DISTS.includes(dist) ? [] : ['dist']), ...(LANGS.includes(lang) ? [] : ['lang'])]);
    // The install runs at the next reset; the emulator starts it now and reports the server busy.
    s.busyUntil = st.now() + st.ctx.config.installMs;
    return ok({ linux: { server_ip: s.ip, server_ipv6_net: s.ipv6.replace(/\/64$/, ''), server_number: s.number, dist, arch: 64, lang, active: true, password: st.newPassword(), authorized_key: [], host_key: [] } });
  });
  router.on('GET', '/reset/:n', (req) => {
    const s = serverOf(st, req);
    return s ? ok({ reset: { server_ip: s.ip, server_ipv6_net: s.ipv6.replace(/\/64$/, ''), server_number: s.number, type: ['sw', 'hw', 'man'], operating_status: 'not supported' } }) : noServer();
  });
  router.on('POST', '/reset/:n', (req) => {
    const s = serverOf(st, req);
    if (!s) return noServer();
    const type = form(req).get('type');
    if (!type) return missing(['type']);
    if (!['sw', 'hw', 'man', 'power', 'power_long'].includes(type)) return invalid(['type']);
    if (s.rescue && s.rescue.bootedAt === null) s.rescue.bootedAt = st.now();
    return ok({ reset: { server_ip: s.ip, server_ipv6_net: s.ipv6.replace(/\/64$/, ''), server_number: s.number, type } });
  });

  // order shelves
  router.on('GET', '/order/server/product', () => ok(PRODUCTS.map(productJson)));
  router.on('GET', '/order/server_market/product', () => ok(MARKET.map(marketJson)));
  for (const market of [false, true]) {
    const base = `/order/${market ? 'server_market' : 'server'}/transaction`;
    router.on('GET', base, () => {
      const list = [...st.transactions.values()].filter((t) => t.market === market && t.date > st.now() - 30 * 86400_000);
      return list.length ? ok(list.map((t) => ({ transaction: transactionJson(st, t) }))) : robotError(404, 'NOT_FOUND', 'No transactions found');
    });
    router.on('GET', `${base}/:id`, (req) => {
      const t = st.transactions.get(req.params.id ?? '');
      return t && t.market === market ? ok({ transaction: transactionJson(st, t) }) : robotError(404, 'TRANSACTION_NOT_FOUND', 'Transaction not found');
    });
    router.on('POST', base, (req) => order(st, req, market));
  }

  // keys
  router.on('GET', '/key', () => (st.keys.size ? ok([...st.keys.values()].map((key) => ({ key }))) : robotError(404, 'NOT_FOUND', 'No keys found')));
  router.on('POST', '/key', (req) => {
    const f = form(req);
    const [name, data] = [f.get('name'), f.get('data')];
    if (!name || !data) return missing([...(name ? [] : ['name']), ...(data ? [] : ['data'])]);
    const blob = data.trim().split(/\s+/)[1] ?? '';
    if (!/^ssh-|^ecdsa-/.test(data.trim()) || !blob) return invalid(['data']);
    const md5 = createHash('md5').update(Buffer.from(blob, 'base64')).digest('hex');
    const fingerprint = md5.match(/../g)!.join(':');
    if (st.keys.has(fingerprint)) return robotError(409, 'KEY_ALREADY_EXISTS', 'The key already exists');
    const key = { name, fingerprint, type: data.trim().split(/\s+/)[0]!.replace(/^ssh-/, ''), size: 256, data: data.trim(), created_at: new Date(st.now()).toISOString().replace('T', ' ').slice(0, 19) };
    st.keys.set(fingerprint, key);
    return ok({ key }, 201);
  });
}

function order(st: RobotState, req: EmuRequest, market: boolean): EmuResponse {
  const f = form(req);
  const productId = f.get('product_id');
  const dist = f.get('dist') ?? 'Rescue system';
  const lang = f.get('lang') ?? 'en';
  if (!productId) return missing(['product_id']);
  const product = market ? MARKET.find((p) => String(p.id) === productId) : PRODUCTS.find((p) => p.id === productId);
  if (!product) return robotError(404, 'PRODUCT_NOT_FOUND', 'Product not found');
  const location = market ? (product as (typeof MARKET)[number]).datacenter : (f.get('location') ?? '');
  const bad: string[] = [];
  if (!market && !(product as (typeof PRODUCTS)[number]).locations.includes(location)) bad.push('location');
  if (!DISTS.includes(dist)) bad.push('dist');
  if (!LANGS.includes(lang)) bad.push('lang');
  const fingerprints = [...f.getAll('authorized_key[]'), ...f.getAll('authorized_key')];
  const keys = fingerprints.map((fp) => st.keys.get(fp));
  if (keys.some((k) => !k)) bad.push('authorized_key');
  if (bad.length) return invalid(bad);
  if (!fingerprints.length && !f.get('password')) return missing(['authorized_key', 'password']);
  if (st.ctx.faults.capacity(location, productId)) return robotError(409, 'PRODUCT_NOT_AVAILABLE', 'The product is currently not available');
  if (f.get('test') === 'true') return ok({ transaction: { id: 'B00000000-000000-000000', status: 'in process' } }, 201);
  const tx = st.order({
    market,
    productId: market ? Number(productId) : productId,
    productName: product.name,
    location,
    dist,
    lang,
    keys: keys.map((k) => ({ name: k!.name, fingerprint: k!.fingerprint, type: k!.type, size: k!.size })),
    comment: f.get('comment'),
  });
  return ok({ transaction: transactionJson(st, tx) }, 201);
}
