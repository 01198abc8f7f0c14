/**
 * What every Proxmox client calls besides the lifecycle: /cluster/nextid (before each clone),
 * node status, the remaining VM power states (shutdown, reset, suspend, resume) and the
 * asynchronous POST …/config, which answers with a task.
 */
import type { EmuRequest, EmuResponse, Router } from '../engine/index.js';
import { noNode } from './cluster.js';
import { applyConfig } from './config.js';
import { fail, ok, param, paramError, tokenUser } from './http.js';
import { isVm, vmAt } from './qemu.js';
import type { PveState, VmRecord } from './state.js';

const P = '/api2/json';
const Q = `${P}/nodes/:node/qemu/:vmid`;

export function registerExtra(router: Router, s: PveState): void {
  const cfg = s.ctx.config;

  // The lowest free id from 100 up (an integer, as the apidoc types it); with ?vmid= that one is checked (400 when taken).
  router.on('GET', `${P}/cluster/nextid`, (req) => {
    s.settle();
    const asked = param(req, 'vmid');
    if (asked !== undefined) {
      const vmid = Number(asked);
      if (!/^\d+$/.test(asked) || vmid < 100 || vmid > 999_999_999) return paramError({ vmid: 'invalid format - value does not look like a valid VM ID' });
      return s.vms.has(vmid) ? fail(400, `VM ${vmid} already exists`) : ok(vmid);
    }
    let id = 100;
    while (s.vms.has(id)) id += 1;
    return ok(id);
  });

  router.on('GET', `${P}/nodes/:node/status`, (req) => {
    s.settle();
    const node = s.node(req.params.node!);
    if (!node) return noNode(req.params.node!);
    const running = [...s.vms.values()].filter((v) => v.node === node.node && v.running).length;
    return ok({
      uptime: 864_000,
      cpu: 0.02 * running,
      loadavg: ['0.12', '0.10', '0.08'],
      kversion: 'Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z) x86_64',
      pveversion: 'pve-manager/9.1.2/5a9b3c1e',
      cpuinfo: { model: 'AMD EPYC 7402P 24-Core Processor', cpus: node.maxcpu, sockets: 1, cores: node.maxcpu / 2, mhz: '2800.000', hvm: '1', flags: 'fpu vme de pse' },
      memory: { total: node.maxmem, used: 4 * 1024 ** 3, free: node.maxmem - 4 * 1024 ** 3, available: node.maxmem - 4 * 1024 ** 3 },
      swap: { total: 0, used: 0, free: 0 },
      rootfs: { total: 100 * 1024 ** 3, used: 10 * 1024 ** 3, free: 90 * 1024 ** 3, avail: 90 * 1024 ** 3 },
      idle: 0,
      wait: 0,
      ksm: { shared: 0 },
      'boot-info': { mode: 'efi', secureboot: 0 },
      'current-kernel': { sysname: 'Linux', release: '6.14.8-2-pve', version: '#1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z)', machine: 'x86_64' },
    });
  });

  const power = (type: string, check: (vm: VmRecord) => string | undefined, effect: (vm: VmRecord) => void) => (req: EmuRequest): EmuResponse => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (vm.lock) return fail(500, `VM is locked (${vm.lock})`);
    const refused = check(vm);
    if (refused) return fail(500, refused);
    const task = s.startTask({ node: vm.node, type, id: String(vm.vmid), user: tokenUser(req)!, durationMs: cfg.actionMs / 4, log: [], effect: () => s.vms.has(vm.vmid) && effect(vm) });
    return ok(task.upid);
  };
  const running = (vm: VmRecord) => (vm.running ? undefined : `VM ${vm.vmid} not running`);
  router.on('POST', `${Q}/status/shutdown`, power('qmshutdown', running, (vm) => {
    vm.running = false;
    vm.startedAt = null;
    vm.paused = false;
  }));
  router.on('POST', `${Q}/status/reset`, power('qmreset', running, (vm) => {
    vm.startedAt = s.ctx.clock.now();
    vm.paused = false;
  }));
  router.on('POST', `${Q}/status/suspend`, power('qmsuspend', running, (vm) => void (vm.paused = true)));
  router.on('POST', `${Q}/status/resume`, power('qmresume', (vm) => (vm.running && vm.paused ? undefined : `VM ${vm.vmid} not paused`), (vm) => void (vm.paused = false)));

  // The asynchronous config update: the same checks as PUT, answered with a task (qmconfig).
  router.on('POST', `${Q}/config`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    if (vm.lock) return fail(500, `VM is locked (${vm.lock})`);
    const err = applyConfig(vm, (req.body ?? {}) as Record<string, string>);
    if (err) return err;
    return ok(s.startTask({ node: vm.node, type: 'qmconfig', id: String(vm.vmid), user: tokenUser(req)!, durationMs: cfg.actionMs / 10, log: ['update VM config'] }).upid);
  });
}
