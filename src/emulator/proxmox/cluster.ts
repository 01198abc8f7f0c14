import type { EmuRequest, Router } from '../engine/index.js';
import { fail, ok, param, PVE_JSON } from './http.js';
import type { PveState, VmRecord } from './state.js';
import { vmSummary } from './views.js';

const P = '/api2/json';

/** Version, nodes, cluster resources, storage and task routes. */
export function registerCluster(router: Router, s: PveState): void {
  router.on('GET', `${P}/version`, () => ok({ version: '9.1.2', release: '9.1', repoid: '5a9b3c1e' }));

  router.on('GET', `${P}/nodes`, () => {
    s.settle();
    return ok(
      s.nodes.map((n) => {
        const used = [...s.vms.values()].filter((v) => v.node === n.node && v.running);
        return {
          node: n.node,
          status: 'online',
          cpu: 0.02 * used.length,
          maxcpu: n.maxcpu,
          mem: used.reduce((m, v) => m + memBytes(v), 4 * 1024 ** 3),
          maxmem: n.maxmem,
          uptime: 864_000,
          level: '',
          ssl_fingerprint: '3F:9A:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00',
        };
      }),
    );
  });

  router.on('GET', `${P}/cluster/resources`, (req) => {
    s.settle();
    const type = param(req, 'type');
    if (type && !['vm', 'storage', 'node', 'sdn'].includes(type)) return fail(400, 'Parameter verification failed.', { type: `value '${type}' does not have a value in the enumeration 'vm, storage, node, sdn'` });
    const out: unknown[] = [];
    if (!type || type === 'vm') out.push(...[...s.vms.values()].sort((a, b) => a.vmid - b.vmid).map((v) => resourceOf(s, v)));
    if (!type || type === 'node') {
      out.push(...s.nodes.map((n) => ({ id: `node/${n.node}`, type: 'node', node: n.node, status: 'online', maxcpu: n.maxcpu, maxmem: n.maxmem, uptime: 864_000, level: '' })));
    }
    if (!type || type === 'storage') {
      for (const n of s.nodes) {
        for (const st of s.storages) {
          out.push({ id: `storage/${n.node}/${st.storage}`, type: 'storage', node: n.node, storage: st.storage, status: 'available', plugintype: st.type, content: st.content, shared: st.shared, maxdisk: st.total, disk: 0 });
        }
      }
    }
    return ok(out);
  });

  router.on('GET', `${P}/nodes/:node/storage`, (req) => {
    if (!s.node(req.params.node!)) return noNode(req.params.node!);
    const content = param(req, 'content');
    const only = param(req, 'storage');
    const list = s.storages
      .filter((st) => (!only || st.storage === only) && (!content || content.split(',').every((c) => st.content.split(',').includes(c))))
      .map((st) => ({ storage: st.storage, type: st.type, content: st.content, active: 1, enabled: 1, shared: st.shared, total: st.total, used: 0, avail: st.total, used_fraction: 0 }));
    return ok(list);
  });

  router.on('GET', `${P}/nodes/:node/tasks/:upid/status`, (req) => {
    s.settle();
    const t = s.tasks.get(req.params.upid!);
    if (!t || t.node !== req.params.node) return fail(500, `no such task`);
    const done = t.settled;
    return ok({
      upid: t.upid,
      node: t.node,
      pid: t.pid,
      pstart: t.pstart,
      starttime: t.starttime,
      type: t.type,
      id: t.id,
      user: t.user,
      status: done ? 'stopped' : 'running',
      ...(done ? { exitstatus: t.exit, endtime: Math.floor(t.endsAt / 1000) } : {}),
    });
  });

  router.on('GET', `${P}/nodes/:node/tasks/:upid/log`, (req) => {
    s.settle();
    const t = s.tasks.get(req.params.upid!);
    if (!t || t.node !== req.params.node) return fail(500, `no such task`);
    const lines = t.settled ? [...t.log, t.exit === 'OK' ? 'TASK OK' : `TASK ERROR: ${t.exit}`] : t.log;
    const start = Number(param(req, 'start') ?? 0);
    const limit = Number(param(req, 'limit') ?? 50);
    return { status: 200, body: { data: lines.slice(start, start + limit).map((text, i) => ({ n: start + i + 1, t: text })), total: lines.length }, headers: PVE_JSON };
  });
}

export function noNode(node: string) {
  return fail(500, `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
}

function memBytes(v: VmRecord): number {
  return Number(String(v.config.memory ?? '512').replace(/^current=/, '').split(',')[0]) * 1024 * 1024;
}

function resourceOf(s: PveState, v: VmRecord) {
  const sum = vmSummary(s, v);
  return {
    id: `qemu/${v.vmid}`,
    type: 'qemu',
    vmid: v.vmid,
    name: sum.name,
    node: v.node,
    status: sum.status,
    template: sum.template,
    ...(sum.tags ? { tags: sum.tags } : {}),
    ...(v.lock ? { lock: v.lock } : {}),
    ...(v.pool ? { pool: v.pool } : {}),
    maxcpu: sum.cpus,
    maxmem: sum.maxmem,
    maxdisk: sum.maxdisk,
    mem: sum.status === 'running' ? Math.floor(sum.maxmem / 4) : 0,
    disk: 0,
    cpu: sum.status === 'running' ? 0.01 : 0,
    uptime: sum.uptime,
    netin: 0,
    netout: 0,
    diskread: 0,
    diskwrite: 0,
  };
}

export type { EmuRequest };
