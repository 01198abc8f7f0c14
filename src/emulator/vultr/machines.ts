/**
 * What cloud instances and bare metal share: the create request (plan, region, OS id, snapshot,
 * iPXE chain URL with os_id 159, base64 user data, tags, SSH keys), the OS change of an update,
 * and power. Each API checks what Vultr checks and answers Vultr's 400 messages.
 */
import type { EmuResponse } from '../engine/index.js';
import { IPXE_OS_ID, metalPlanById, osById, planById, regionById, SNAPSHOT_OS_ID } from './catalog.js';
import { badRequest, isResponse, optString, stringArray } from './http.js';
import type { MachineKind, MachineRec, VultrState } from './state.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function intOrUndefined(v: unknown): number | undefined | 'bad' {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : 'bad';
}

/** The OS part of a create or update: os_id (159 with ipxe_chain_url for iPXE) or snapshot_id. */
function osChoice(st: VultrState, body: Record<string, unknown>, required: boolean): { osId: number; snapshotId: string; ipxe: string } | EmuResponse | undefined {
  const osId = intOrUndefined(body.os_id);
  if (osId === 'bad') return badRequest('Invalid os_id: must be an integer.');
  const snapshotId = optString(body.snapshot_id);
  const ipxe = optString(body.ipxe_chain_url);
  if (snapshotId === undefined) return badRequest('Invalid snapshot_id.');
  if (ipxe === undefined) return badRequest('Invalid ipxe_chain_url.');
  if (ipxe && osId !== IPXE_OS_ID) return badRequest(`ipxe_chain_url requires os_id ${IPXE_OS_ID} (Custom).`);
  if (ipxe && !/^https?:\/\/\S+$/.test(ipxe)) return badRequest('Invalid ipxe_chain_url: must be an http(s) URL.');
  if (snapshotId) {
    const snap = st.snapshots.get(snapshotId);
    if (!snap) return badRequest('Invalid snapshot_id.');
    if (st.now() < snap.readyAt) return badRequest('Snapshot is not yet complete.');
    return { osId: SNAPSHOT_OS_ID, snapshotId, ipxe: '' };
  }
  if (osId === undefined) {
    if (body.app_id !== undefined || body.image_id !== undefined || body.iso_id !== undefined) {
      return badRequest('Only os_id, snapshot_id and ipxe_chain_url installs are emulated.');
    }
    return required ? badRequest('You must provide one of os_id, snapshot_id, app_id, image_id or iso_id.') : undefined;
  }
  if (!osById(osId) || osId === SNAPSHOT_OS_ID) return badRequest('Invalid os_id.');
  if (osId === IPXE_OS_ID && !ipxe) return badRequest(`os_id ${IPXE_OS_ID} (Custom) needs an ipxe_chain_url or an iso_id.`);
  return { osId, snapshotId: '', ipxe };
}

export function createMachine(st: VultrState, kind: MachineKind, body: Record<string, unknown>): MachineRec | EmuResponse {
  const region = body.region;
  const planId = body.plan;
  if (typeof region !== 'string' || !regionById(region)) return badRequest('Invalid region.');
  if (typeof planId !== 'string') return badRequest('Invalid plan.');
  const plan = kind === 'instance' ? planById(planId) : metalPlanById(planId);
  if (!plan) return badRequest('Invalid plan.');
  if (!plan.locations.includes(region)) return badRequest(`Plan ${planId} is not available in region ${region}.`);
  const os = osChoice(st, body, true);
  if (isResponse(os)) return os;
  const tags = stringArray(body.tags);
  if (!tags) return badRequest('Invalid tags: must be an array of strings.');
  if (typeof body.tag === 'string' && body.tag) tags.push(body.tag);
  const sshKeyIds = stringArray(body.sshkey_id);
  if (!sshKeyIds) return badRequest('Invalid sshkey_id: must be an array of SSH key ids.');
  const unknownKey = sshKeyIds.find((k) => !st.sshKeys.has(k));
  if (unknownKey) return badRequest(`Invalid SSH key: ${unknownKey}.`);
  const userData = optString(body.user_data);
  if (userData === undefined || !BASE64.test(userData)) return badRequest('Invalid user_data: must be base64 encoded.');
  const label = optString(body.label);
  const hostname = optString(body.hostname);
  if (label === undefined || hostname === undefined) return badRequest('Invalid label or hostname.');
  const firewallGroupId = kind === 'instance' ? optString(body.firewall_group_id) : '';
  if (firewallGroupId === undefined || (firewallGroupId && !st.firewalls.has(firewallGroupId))) return badRequest('Invalid firewall_group_id.');
  const vpcIds = kind === 'instance' ? stringArray(body.attach_vpc) : [];
  if (!vpcIds || vpcIds.some((v) => st.vpcs.get(v)?.region !== region)) return badRequest('Invalid attach_vpc: every VPC must exist in the region.');
  if (st.ctx.faults.quota(region, planId)) {
    return badRequest('Server add failed: You have reached the maximum number of active instances for this account.');
  }
  if (st.ctx.faults.capacity(region, planId)) return badRequest(`Server add failed: Plan ${planId} is out of stock in ${region}.`);

  const now = st.now();
  const t = st.timings(kind);
  const { ipv4, ipv6 } = st.nextAddresses();
  // IPv6 only when asked for (enable_ipv6), as Vultr assigns it.
  const wantsV6 = body.enable_ipv6 === true || body.enable_ipv6 === 'true';
  const m: MachineRec = {
    kind,
    id: st.uuid(),
    label,
    hostname: hostname || label || 'vultr.guest',
    region,
    plan: planId,
    osId: os!.osId,
    appId: 0,
    imageId: '',
    snapshotId: os!.snapshotId,
    ipxeChainUrl: os!.ipxe,
    tags: [...new Set(tags)],
    userData,
    sshKeyIds,
    firewallGroupId,
    vpcIds,
    createdAt: now,
    readyAt: now + t.readyMs,
    ipAt: now + t.ipMs,
    ipv4,
    ipv6: wantsV6 ? ipv6 : '',
    power: { from: 'running', to: 'running', at: now },
    busyUntil: 0,
    defaultPassword: st.password(),
  };
  st.machines.set(m.id, m);
  return m;
}

/** PATCH: label, tags, user data, and an OS change (os_id, or 159 with ipxe_chain_url) that reinstalls. */
export function updateMachine(st: VultrState, m: MachineRec, body: Record<string, unknown>): EmuResponse | undefined {
  if (body.label !== undefined) {
    if (typeof body.label !== 'string') return badRequest('Invalid label.');
    m.label = body.label;
  }
  if (body.tags !== undefined) {
    const tags = stringArray(body.tags);
    if (!tags) return badRequest('Invalid tags: must be an array of strings.');
    m.tags = [...new Set(tags)];
  }
  if (body.user_data !== undefined) {
    const ud = optString(body.user_data);
    if (ud === undefined || !BASE64.test(ud)) return badRequest('Invalid user_data: must be base64 encoded.');
    m.userData = ud;
  }
  if (m.kind === 'instance' && body.firewall_group_id !== undefined) {
    const fw = optString(body.firewall_group_id);
    if (fw === undefined || (fw && !st.firewalls.has(fw))) return badRequest('Invalid firewall_group_id.');
    m.firewallGroupId = fw;
  }
  const os = osChoice(st, body, false);
  if (isResponse(os)) return os;
  if (os) {
    if (st.status(m).status === 'pending') return badRequest('Unable to change the operating system: the server is still installing.');
    m.osId = os.osId;
    m.snapshotId = os.snapshotId;
    m.ipxeChainUrl = os.ipxe;
    reinstall(st, m);
  }
  return undefined;
}

/** A reinstall (or OS change) wipes and boots again: installingbooting for the install time. */
export function reinstall(st: VultrState, m: MachineRec): void {
  const t = st.timings(m.kind);
  st.setPower(m, 'running', 0);
  m.busyUntil = st.now() + Math.max(st.ctx.config.actionMs, t.readyMs / 2);
}

export type PowerAction = 'halt' | 'start' | 'reboot';

/** halt, start and reboot answer 204 at once; the change shows after the emulated action time. */
export function power(st: VultrState, m: MachineRec, action: PowerAction): EmuResponse | undefined {
  if (st.status(m).status === 'pending') return badRequest(`Unable to ${action}: the server is still installing.`);
  const ms = st.ctx.config.actionMs;
  if (action === 'halt') st.setPower(m, 'stopped', ms);
  else {
    st.setPower(m, 'running', 0);
    m.busyUntil = st.now() + ms;
  }
  return undefined;
}
