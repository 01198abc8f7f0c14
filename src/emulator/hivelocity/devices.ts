/**
 * Bare-metal devices: order (POST /bare-metal-devices/), read, list, update/reload (PUT), cancel
 * (DELETE), power (/device/{id}/power), tags (/device/{id}/tags), the Device-dump view with the
 * provisioning status and cancellation, and the order's status (/order/{id}).
 */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { FACILITIES, OPERATING_SYSTEMS, osByName, productById } from './catalog.js';
import { hvError, intParam } from './errors.js';
import type { DeviceRec, HivelocityState } from './state.js';

const API = '/api/v2';
const PERIODS = ['hourly', 'monthly', 'quarterly', 'semi-annually', 'annually', 'biennial', 'triennial'];

function bareMetalWire(st: HivelocityState, d: DeviceRec): Record<string, unknown> {
  const sps = st.sps(d);
  return {
    deviceId: d.deviceId,
    orderId: d.orderId,
    serviceId: d.serviceId,
    productId: d.productId,
    productName: st.product(d)?.name ?? String(d.productId),
    locationName: d.locationName,
    hostname: d.hostname,
    osName: d.osName,
    powerStatus: st.powerStatus(d),
    period: d.period,
    tags: [...d.tags],
    // The address is assigned with the hardware, when the order leaves the queue.
    ...(sps === 'RESERVED' ? {} : { primaryIp: d.primaryIp }),
    ...(d.script === null ? {} : { script: d.script }),
    ...(d.publicSshKeyId === null ? {} : { publicSshKeyId: d.publicSshKeyId }),
    ...(d.ipxeUrl === null ? {} : { customIPXEScriptURL: d.ipxeUrl }),
    ...(d.ipxeContents === null ? {} : { customIPXEScriptContents: d.ipxeContents }),
  };
}

function deviceDumpWire(st: HivelocityState, d: DeviceRec): Record<string, unknown> {
  const sps = st.sps(d);
  const f = FACILITIES.find((x) => x.code === d.locationName);
  return {
    deviceId: d.deviceId,
    name: d.hostname,
    hostname: d.hostname,
    status: 'active',
    deviceType: 'Instant Dedicated Server',
    deviceTypeGroup: 'Dedicated',
    hasCancellation: d.cancellation !== null,
    ...(d.cancellation ? { billingCancelDate: Math.floor(d.cancellation.effectiveAt / 1000) } : {}),
    billingStatus: d.cancellation ? 'pending cancellation' : 'active',
    isManaged: false,
    isReload: sps === 'RELOADING',
    tags: [...d.tags],
    ...(sps === 'RESERVED' ? {} : { primaryIp: d.primaryIp }),
    location: f ? { facility: f.code, city: f.city, state: f.state, country: 'US' } : {},
    servicePlan: d.serviceId,
    selfProvisioning: true,
    spsStatus: sps,
    metadata: { sps_status: sps },
    ipmiEnabled: false,
  };
}

function strOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function registerDevices(router: Router, st: HivelocityState): void {
  const find = (req: EmuRequest): DeviceRec | EmuResponse => {
    const id = intParam(req.params.id);
    const d = id === undefined ? undefined : st.get(id);
    return d ?? hvError(404, 'Device Not Found');
  };
  const isResponse = (x: DeviceRec | EmuResponse): x is EmuResponse => 'status' in x;

  router.on('GET', `${API}/bare-metal-devices`, () => ({ status: 200, body: st.live().map((d) => bareMetalWire(st, d)) }));

  router.on('POST', `${API}/bare-metal-devices`, (req) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    for (const field of ['hostname', 'locationName', 'osName', 'productId']) {
      if (b[field] === undefined || b[field] === null || b[field] === '') return hvError(400, `'${field}' is a required property`);
    }
    const productId = typeof b.productId === 'number' ? b.productId : Number.NaN;
    const p = productById(productId);
    if (!p) return hvError(400, `Invalid product ID ${String(b.productId)}`);
    const location = String(b.locationName);
    if (!FACILITIES.some((f) => f.code === location)) return hvError(400, `Invalid location ${location}`);
    const os = osByName(String(b.osName));
    if (!os) return hvError(400, `Invalid operating system '${String(b.osName)}' for product ${p.id}`);
    const hostname = String(b.hostname);
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(hostname)) {
      return hvError(400, `Hostname '${hostname}' is not a fully qualified domain name`);
    }
    const period = b.period === undefined || b.period === null ? 'hourly' : String(b.period);
    if (!PERIODS.includes(period)) return hvError(400, `Invalid period '${period}'; one of ${PERIODS.join('|')}`);
    const ipxeUrl = strOrNull(b.customIPXEScriptURL);
    const ipxeContents = strOrNull(b.customIPXEScriptContents);
    if (os.ipxe && !ipxeUrl && !ipxeContents) return hvError(400, 'Custom iPXE requires customIPXEScriptURL or customIPXEScriptContents');
    const keyId = typeof b.publicSshKeyId === 'number' && b.publicSshKeyId > 0 ? b.publicSshKeyId : null;
    if (keyId !== null && !st.sshKeys.has(keyId)) return hvError(400, `Public ssh key ${keyId} not found`);
    if (st.ctx.faults.quota(location, String(p.id))) return hvError(403, 'Instant device limit reached for this account');
    if (p.stock[location] === 'unavailable' || st.ctx.faults.capacity(location, String(p.id))) {
      return hvError(400, `No devices of product ${p.id} are available in ${location} (out of stock)`);
    }
    const tags = Array.isArray(b.tags) ? b.tags.filter((t): t is string => typeof t === 'string') : [];
    const d = st.order(p, {
      locationName: location,
      hostname,
      osName: os.name,
      tags,
      script: strOrNull(b.script),
      publicSshKeyId: keyId,
      period,
      ipxeUrl,
      ipxeContents,
    });
    return { status: 200, body: bareMetalWire(st, d) };
  });

  router.on('GET', `${API}/bare-metal-devices/:id`, (req) => {
    const d = find(req);
    return isResponse(d) ? d : { status: 200, body: bareMetalWire(st, d) };
  });

  // Update and reload: a changed OS, script or iPXE script (or forceReload) reinstalls the device,
  // which Hivelocity only does to a device that is powered off (unless skipPowerCheck).
  router.on('PUT', `${API}/bare-metal-devices/:id`, (req) => {
    const d = find(req);
    if (isResponse(d)) return d;
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (!b.hostname || !b.osName) return hvError(400, "'hostname' and 'osName' are required properties");
    const os = osByName(String(b.osName));
    if (!os) return hvError(400, `Invalid operating system '${String(b.osName)}' for product ${d.productId}`);
    const ipxeUrl = strOrNull(b.customIPXEScriptURL) ?? (os.ipxe && !strOrNull(b.customIPXEScriptContents) ? d.ipxeUrl : null);
    const ipxeContents = strOrNull(b.customIPXEScriptContents) ?? (os.ipxe && !ipxeUrl ? d.ipxeContents : null);
    const reload = b.forceReload === true || os.name !== d.osName || ipxeUrl !== d.ipxeUrl || ipxeContents !== d.ipxeContents || (b.script !== undefined && strOrNull(b.script) !== d.script);
    if (reload) {
      const sps = st.sps(d);
      if (sps !== 'IN_USE') return hvError(400, `Device ${d.deviceId} is busy (${sps}); try again when it is in use`);
      if (os.ipxe && !ipxeUrl && !ipxeContents) return hvError(400, 'Custom iPXE requires customIPXEScriptURL or customIPXEScriptContents');
      const skip = req.query.get('skipPowerCheck') === 'true';
      if (!skip && st.powerStatus(d) !== 'OFF') return hvError(400, 'Please power off device before reloading it');
    }
    d.hostname = String(b.hostname);
    if (Array.isArray(b.tags)) d.tags = b.tags.filter((t): t is string => typeof t === 'string');
    if (typeof b.publicSshKeyId === 'number') d.publicSshKeyId = b.publicSshKeyId;
    if (reload) {
      d.osName = os.name;
      d.ipxeUrl = os.ipxe ? ipxeUrl : null;
      d.ipxeContents = os.ipxe ? ipxeContents : null;
      if (b.script !== undefined) d.script = strOrNull(b.script);
      st.startReload(d);
    }
    return { status: 200, body: bareMetalWire(st, d) };
  });

  // The generic reload (DeviceReload): an OS option by id; omitting the iPXE URL reuses the last one.
  router.on('POST', `${API}/device/:id/reload`, (req) => {
    const d = find(req);
    if (isResponse(d)) return d;
    const b = (req.body ?? {}) as Record<string, unknown>;
    const os = OPERATING_SYSTEMS.find((o) => o.id === b.operatingSystemId);
    if (!os) return hvError(400, `Invalid operatingSystemId ${String(b.operatingSystemId)}`);
    const ipxeUrl = os.ipxe ? (strOrNull(b.customIPXEScriptUrl) ?? d.ipxeUrl) : null;
    if (os.ipxe && !ipxeUrl && !d.ipxeContents) return hvError(400, 'Custom iPXE requires customIPXEScriptUrl');
    const sps = st.sps(d);
    if (sps !== 'IN_USE') return hvError(400, `Device ${d.deviceId} is busy (${sps}); try again when it is in use`);
    if (st.powerStatus(d) !== 'OFF') return hvError(400, 'Please power off device before reloading it');
    d.osName = os.name;
    d.ipxeUrl = ipxeUrl;
    if (!os.ipxe) d.ipxeContents = null;
    if (b.script !== undefined) d.script = strOrNull(b.script);
    st.startReload(d);
    return { status: 202 };
  });

  router.on('DELETE', `${API}/bare-metal-devices/:id`, (req) => {
    const d = find(req);
    if (isResponse(d)) return d;
    if (d.cancellation) return hvError(409, 'Device Already Being Cancelled.');
    return st.cancel(d) === 'deleted' ? { status: 204 } : { status: 201 };
  });

  router.on('GET', `${API}/device`, () => ({ status: 200, body: st.live().map((d) => deviceDumpWire(st, d)) }));
  router.on('GET', `${API}/device/:id`, (req) => {
    const d = find(req);
    return isResponse(d) ? d : { status: 200, body: deviceDumpWire(st, d) };
  });

  router.on('GET', `${API}/device/:id/power`, (req) => {
    const d = find(req);
    return isResponse(d) ? d : { status: 200, body: { powerStatus: st.powerStatus(d) } };
  });
  router.on('POST', `${API}/device/:id/power`, (req) => {
    const d = find(req);
    if (isResponse(d)) return d;
    const action = req.query.get('action');
    if (!action || !['boot', 'reboot', 'shutdown'].includes(action)) return hvError(400, `Invalid power action '${action ?? ''}'; one of boot, reboot, shutdown`);
    const sps = st.sps(d);
    if (sps !== 'IN_USE') return hvError(400, `Device ${d.deviceId} is busy (${sps}); power actions wait until it is in use`);
    st.power(d, action === 'shutdown' ? 'OFF' : 'ON');
    return { status: 202, body: { powerStatus: st.powerStatus(d) } };
  });

  router.on('GET', `${API}/device/:id/tags`, (req) => {
    const d = find(req);
    return isResponse(d) ? d : { status: 200, body: { tags: [...d.tags] } };
  });
  router.on('PUT', `${API}/device/:id/tags`, (req) => {
    const d = find(req);
    if (isResponse(d)) return d;
    const tags = (req.body as { tags?: unknown } | undefined)?.tags;
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) return hvError(400, "'tags' must be a list of strings");
    d.tags = tags as string[];
    return { status: 200, body: { tags: [...d.tags] } };
  });

  router.on('GET', `${API}/order/:id`, (req) => {
    const id = intParam(req.params.id);
    const d = st.live().find((x) => x.orderId === id);
    if (!d) return hvError(404, 'Order ID not found.');
    const p = st.product(d);
    return { status: 200, body: { orderId: d.orderId, status: st.orderStatus(d), total: p?.monthly ?? 0, owner: 'emulated', info: { deviceId: d.deviceId } } };
  });
}
