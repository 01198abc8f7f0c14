/** Robot's wire shapes of the emulated records (each wrapped in its kind by the routes). */
import type { RobotState, ServerRec, TxRec } from './state.js';

export function serverJson(st: RobotState, s: ServerRec, detail = false) {
  const base = {
    server_ip: s.ip,
    server_ipv6_net: s.ipv6.replace(/\/64$/, ''),
    server_number: s.number,
    server_name: s.name,
    product: s.product,
    dc: s.dc,
    traffic: 'unlimited',
    status: st.status(s),
    cancelled: s.cancellation !== null,
    paid_until: st.earliestCancellation(),
    ip: [s.ip],
    subnet: [{ ip: s.ipv6.replace(/\/64$/, ''), mask: '64' }],
  };
  if (!detail) return base;
  return { ...base, reset: true, rescue: true, vnc: true, windows: false, plesk: false, cpanel: false, wol: true, hot_swap: false, linked_storagebox: null };
}

export function transactionJson(st: RobotState, t: TxRec) {
  const server = t.serverNumber === null ? undefined : st.servers.get(t.serverNumber);
  const ready = t.serverNumber !== null;
  return {
    id: t.id,
    date: new Date(t.date).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    status: ready ? 'ready' : 'in process',
    server_number: ready ? t.serverNumber : null,
    server_ip: ready ? (server?.ip ?? null) : null,
    authorized_key: t.keys.map((key) => ({ key })),
    host_key: [],
    comment: t.comment,
    product: {
      id: t.productId,
      name: t.productName,
      description: [],
      traffic: 'unlimited',
      dist: t.dist,
      arch: 64,
      lang: t.lang,
      location: t.market ? null : t.location,
    },
    addons: [],
  };
}

export function cancellationJson(st: RobotState, s: ServerRec) {
  return {
    server_ip: s.ip,
    server_ipv6_net: s.ipv6.replace(/\/64$/, ''),
    server_number: s.number,
    server_name: s.name,
    earliest_cancellation_date: st.earliestCancellation(),
    cancelled: s.cancellation !== null,
    reservation_possible: false,
    reserved: false,
    cancellation_date: s.cancellation?.date ?? null,
    cancellation_reason: s.cancellation ? s.cancellation.reason : ['Upgrade to a new server', 'Dissatisfied with the hardware', 'Other'],
  };
}

export function rescueJson(s: ServerRec) {
  const active = s.rescue !== null && s.rescue.bootedAt === null;
  return {
    server_ip: s.ip,
    server_ipv6_net: s.ipv6.replace(/\/64$/, ''),
    server_number: s.number,
    os: active ? 'linux' : ['linux', 'vkvm'],
    arch: active ? 64 : [64],
    active,
    password: active ? s.rescue!.password : null,
    authorized_key: [],
    host_key: [],
    boot_time: null,
  };
}
