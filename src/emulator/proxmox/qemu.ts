import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { noNode } from './cluster.js';
import { applyConfig } from './config.js';
import { boolParam, fail, noConfig, ok, param, paramError, tokenUser } from './http.js';
import { macFor, type PveState, type VmRecord } from './state.js';
import { vmSummary } from './views.js';

const P = '/api2/json/nodes/:node/qemu';
const DNS_NAME = /^(?=.{1,255}$)[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;

/** Looks the VM up on the node named in the path, as PVE does (a VM on another node "does not exist" here). */
export function vmAt(s: PveState, req: EmuRequest): VmRecord | EmuResponse {
  s.settle();
  const node = req.params.node!;
  if (!s.node(node)) return noNode(node);
  const vmid = Number(req.params.vmid);
  if (!Number.isInteger(vmid) || vmid < 100 || vmid > 999_999_999) return paramError({ vmid: 'invalid format - value does not look like a valid VM ID' });
  const vm = s.vms.get(vmid);
  return vm && vm.node === node ? vm : noConfig(node, vmid);
}

export const isVm = (x: VmRecord | EmuResponse): x is VmRecord => 'vmid' in x;

/** Qemu lifecycle routes: list, status, config, clone, start, stop, destroy, guest agent. */
export function registerQemu(router: Router, s: PveState): void {
  const cfg = s.ctx.config;

  router.on('GET', P, (req) => {
    s.settle();
    if (!s.node(req.params.node!)) return noNode(req.params.node!);
    const list = [...s.vms.values()].filter((v) => v.node === req.params.node).map((v) => {
      const sum = vmSummary(s, v);
      return { vmid: v.vmid, name: sum.name, status: sum.status, cpus: sum.cpus, maxmem: sum.maxmem, maxdisk: sum.maxdisk, uptime: sum.uptime, template: sum.template, ...(sum.tags ? { tags: sum.tags } : {}), ...(v.lock ? { lock: v.lock } : {}) };
    });
    return ok(list);
  });

  router.on('GET', `${P}/:vmid/status/current`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    const sum = vmSummary(s, vm);
    return ok({
      vmid: vm.vmid,
      name: sum.name,
      status: sum.status,
      qmpstatus: vm.paused ? 'paused' : sum.status,
      cpus: sum.cpus,
      maxmem: sum.maxmem,
      maxdisk: sum.maxdisk,
      mem: sum.status === 'running' ? Math.floor(sum.maxmem / 4) : 0,
      cpu: 0,
      uptime: sum.uptime,
      ha: { managed: 0 },
      agent: vm.config.agent ? 1 : 0,
      ...(sum.template ? { template: 1 } : {}),
      ...(sum.tags ? { tags: sum.tags } : {}),
      ...(vm.lock ? { lock: vm.lock } : {}),
      ...(vm.running ? { pid: 10_000 + (vm.vmid % 50_000), 'running-qemu': '9.0.2', 'running-machine': 'pc-i440fx-9.0+pve0' } : {}),
    });
  });

  router.on('GET', `${P}/:vmid/config`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    const conf: Record<string, unknown> = { ...vm.config, digest: s.digest(vm.config) };
    if (vm.lock) conf.lock = vm.lock;
    return ok(conf);
  });

  router.on('PUT', `${P}/:vmid/config`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (vm.lock) return fail(500, `VM is locked (${vm.lock})`);
    const err = applyConfig(vm, (req.body ?? {}) as Record<string, string>);
    return err ?? ok(null);
  });

  router.on('POST', `${P}/:vmid/clone`, (req) => {
    const src = vmAt(s, req);
    if (!isVm(src)) return src;
    const user = tokenUser(req)!;
    const newid = Number(param(req, 'newid'));
    if (!Number.isInteger(newid) || newid < 100 || newid > 999_999_999) return paramError({ newid: 'invalid format - value does not look like a valid VM ID' });
    const name = param(req, 'name');
    if (name !== undefined && !DNS_NAME.test(name)) return paramError({ name: 'invalid format - value does not look like a valid DNS name' });
    const target = param(req, 'target') ?? src.node;
    if (!s.node(target)) return paramError({ target: `no such cluster node '${target}'` });
    const storage = param(req, 'storage');
    if (storage && !s.storages.some((x) => x.storage === storage)) return fail(500, `storage '${storage}' does not exist`);
    const snapname = param(req, 'snapname');
    const snap = snapname ? src.snapshots.find((x) => x.name === snapname) : undefined;
    if (snapname && !snap) return fail(500, `snapshot '${snapname}' does not exist`);
    const full = boolParam(req, 'full') ?? !src.config.template;
    if (!src.config.template && !full) return fail(500, 'Linked clone feature is not supported for running images or non-template VMs');
    if (s.vms.has(newid)) return fail(500, `unable to create VM ${newid}: config file already exists`);
    if (src.lock) return fail(500, `VM is locked (${src.lock})`);

    const base = { ...(snap ? snap.config : src.config) };
    delete base.template;
    const config: Record<string, string | number> = { ...base };
    for (const key of Object.keys(config)) {
      if (/^(scsi|virtio|sata|ide)\d+$/.test(key)) config[key] = String(config[key]).replace(/(base|vm)-\d+-/, `vm-${newid}-`);
    }
    config.net0 = String(config.net0 ?? 'virtio=00:00:00:00:00:00,bridge=vmbr0').replace(/virtio=[0-9A-F:]+/i, `virtio=${macFor(newid)}`);
    config.name = name ?? `Copy-of-VM-${src.config.name ?? src.vmid}`;
    const description = param(req, 'description');
    if (description !== undefined) config.description = description;
    else delete config.description;
    config.meta = `creation-qemu=9.0.2,ctime=${Math.floor(s.ctx.clock.now() / 1000)}`;
    const vm: VmRecord = { vmid: newid, node: target, config, running: false, startedAt: null, lock: 'clone', snapshots: [], ipv4: s.newAddress(), mac: macFor(newid) };
    const pool = param(req, 'pool');
    if (pool) vm.pool = pool;
    s.vms.set(newid, vm);

    // A node marked out of capacity (a fault on the whole node) fails the disk copy, as a full thin pool does.
    const noSpace = s.ctx.faults.capacity(target, '');
    const disk = `vm-${newid}-disk-0`;
    const task = s.startTask({
      node: src.node,
      type: 'qmclone',
      id: String(src.vmid),
      user,
      durationMs: cfg.actionMs,
      exit: noSpace ? `clone failed: lvcreate 'pve/${disk}' error:   Volume group "pve" has insufficient free space` : 'OK',
      log: [`create full clone of drive scsi0 (local-lvm:base-${src.vmid}-disk-0)`, `  Logical volume "${disk}" created.`, 'transferred 3.5 GiB of 3.5 GiB (100.00%)'],
      effect: () => {
        if (noSpace) s.vms.delete(newid); // PVE removes a failed clone
        else delete vm.lock;
      },
    });
    return ok(task.upid);
  });

  router.on('POST', `${P}/:vmid/status/start`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (vm.config.template) return fail(500, 'you can\'t start a vm if it\'s a template');
    if (vm.lock) return fail(500, `VM is locked (${vm.lock})`);
    if (vm.running) return fail(500, `VM ${vm.vmid} already running`);
    const sum = vmSummary(s, vm);
    const size = `${sum.cpus}c-${Math.round(sum.maxmem / 1024 ** 3)}g`;
    const noMemory = s.ctx.faults.capacity(vm.node, size) || s.ctx.faults.quota(vm.node, size);
    const task = s.startTask({
      node: vm.node,
      type: 'qmstart',
      id: String(vm.vmid),
      user: tokenUser(req)!,
      durationMs: cfg.actionMs / 4,
      exit: noMemory ? 'start failed: QEMU exited with code 1' : 'OK',
      log: noMemory ? [`kvm: cannot set up guest memory 'pc.ram': Cannot allocate memory`] : ['generating cloud-init ISO'],
      effect: () => {
        if (noMemory || !s.vms.has(vm.vmid)) return;
        vm.running = true;
        vm.startedAt = s.ctx.clock.now();
        const c = vm.config as Record<string, unknown>;
        const keys = typeof c.sshkeys === 'string' ? decodeURIComponent(c.sshkeys).split('\n').filter(Boolean) : [];
        s.ctx.ssh?.register({ ip: vm.ipv4, authorizedKeys: keys, ...(typeof c.cipassword === 'string' ? { password: c.cipassword } : {}), ...(typeof c.ciuser === 'string' ? { users: [c.ciuser] } : {}), bootedAtMs: vm.startedAt + cfg.bootMs, hostname: typeof c.name === 'string' ? c.name : `vm${vm.vmid}` });
      },
    });
    return ok(task.upid);
  });

  router.on('POST', `${P}/:vmid/status/stop`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (vm.lock && !boolParam(req, 'skiplock')) return fail(500, `VM is locked (${vm.lock})`);
    const task = s.startTask({
      node: vm.node,
      type: 'qmstop',
      id: String(vm.vmid),
      user: tokenUser(req)!,
      durationMs: cfg.actionMs / 4,
      log: [],
      effect: () => {
        vm.running = false;
        vm.startedAt = null;
        vm.paused = false;
        s.ctx.ssh?.unregister(vm.ipv4);
      },
    });
    return ok(task.upid);
  });

  router.on('POST', `${P}/:vmid/status/reboot`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (vm.lock) return fail(500, `VM is locked (${vm.lock})`);
    if (!vm.running) return fail(500, `VM ${vm.vmid} not running`);
    const task = s.startTask({ node: vm.node, type: 'qmreboot', id: String(vm.vmid), user: tokenUser(req)!, durationMs: cfg.actionMs / 4, log: [], effect: () => {} });
    return ok(task.upid);
  });

  router.on('DELETE', `${P}/:vmid`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (vm.running) return fail(500, `VM ${vm.vmid} is running - destroy failed`);
    if (vm.lock && !boolParam(req, 'skiplock')) return fail(500, `VM is locked (${vm.lock})`);
    const task = s.startTask({
      node: vm.node,
      type: 'qmdestroy',
      id: String(vm.vmid),
      user: tokenUser(req)!,
      durationMs: cfg.actionMs / 4,
      log: [`  Logical volume "vm-${vm.vmid}-disk-0" successfully removed.`],
      effect: () => {
        s.ctx.ssh?.unregister(vm.ipv4);
        s.vms.delete(vm.vmid);
      },
    });
    return ok(task.upid);
  });

  router.on('GET', `${P}/:vmid/agent/network-get-interfaces`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (!vm.config.agent || String(vm.config.agent).startsWith('0') || String(vm.config.agent).includes('enabled=0')) return fail(500, 'No QEMU guest agent configured');
    if (!vm.running) return fail(500, `VM ${vm.vmid} is not running`);
    const now = s.ctx.clock.now();
    const since = now - (vm.startedAt ?? now);
    if (since < cfg.bootMs) return fail(500, 'QEMU guest agent is not running');
    const v4 = since >= Math.max(cfg.bootMs, cfg.ipDelayMs) ? [{ 'ip-address-type': 'ipv4', 'ip-address': vm.ipv4, prefix: 16 }] : [];
    const suffix = vm.mac.toLowerCase().split(':').slice(3).join('');
    return ok({
      result: [
        { name: 'lo', 'hardware-address': '00:00:00:00:00:00', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 }, { 'ip-address-type': 'ipv6', 'ip-address': '::1', prefix: 128 }], statistics: {} },
        { name: 'eth0', 'hardware-address': vm.mac.toLowerCase(), 'ip-addresses': [...v4, { 'ip-address-type': 'ipv6', 'ip-address': `fe80::be24:11ff:fe${suffix.slice(0, 2)}:${suffix.slice(2)}`, prefix: 64 }], statistics: {} },
      ],
    });
  });
}
