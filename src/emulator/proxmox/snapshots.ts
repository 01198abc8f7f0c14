import type { Router } from '../engine/index.js';
import { fail, ok, param, paramError, tokenUser } from './http.js';
import { isVm, vmAt } from './qemu.js';
import type { PveState } from './state.js';

const P = '/api2/json/nodes/:node/qemu/:vmid/snapshot';
const CONFIG_ID = /^[a-z][a-z0-9_-]+$/i;

/** Snapshots: list (with PVE's "current" pseudo entry), create and delete as tasks. */
export function registerSnapshots(router: Router, s: PveState): void {
  router.on('GET', P, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    const list: Record<string, unknown>[] = vm.snapshots.map((x) => ({ name: x.name, description: x.description, snaptime: x.snaptime, vmstate: 0, ...(x.parent ? { parent: x.parent } : {}) }));
    const last = vm.snapshots.at(-1);
    list.push({ name: 'current', description: 'You are here!', running: vm.running ? 1 : 0, digest: s.digest(vm.config), ...(last ? { parent: last.name } : {}) });
    return ok(list);
  });

  router.on('POST', P, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    const name = param(req, 'snapname');
    if (!name) return paramError({ snapname: 'property is missing and it is not optional' });
    if (!CONFIG_ID.test(name) || name.length > 40) return paramError({ snapname: 'invalid format - invalid configuration ID' });
    if (vm.lock) return fail(500, `VM is locked (${vm.lock})`);
    const exists = vm.snapshots.some((x) => x.name === name);
    if (!exists) vm.lock = 'snapshot';
    const task = s.startTask({
      node: vm.node,
      type: 'qmsnapshot',
      id: String(vm.vmid),
      user: tokenUser(req)!,
      durationMs: s.ctx.config.actionMs / 4,
      exit: exists ? `snapshot name '${name}' already used` : 'OK',
      log: exists ? [] : [`snapshotting 'drive-scsi0' (local-lvm:vm-${vm.vmid}-disk-0)`, `  Logical volume "snap_vm-${vm.vmid}-disk-0_${name}" created.`],
      effect: () => {
        if (exists) return;
        delete vm.lock;
        vm.snapshots.push({
          name,
          description: param(req, 'description') ?? '',
          snaptime: Math.floor(s.ctx.clock.now() / 1000),
          ...(vm.snapshots.at(-1) ? { parent: vm.snapshots.at(-1)!.name } : {}),
          config: { ...vm.config },
        });
      },
    });
    return ok(task.upid);
  });

  router.on('DELETE', `${P}/:snapname`, (req) => {
    const vm = vmAt(s, req);
    if (!isVm(vm)) return vm;
    const name = req.params.snapname!;
    if (vm.lock) return fail(500, `VM is locked (${vm.lock})`);
    const exists = vm.snapshots.some((x) => x.name === name);
    const task = s.startTask({
      node: vm.node,
      type: 'qmdelsnapshot',
      id: String(vm.vmid),
      user: tokenUser(req)!,
      durationMs: s.ctx.config.actionMs / 4,
      exit: exists ? 'OK' : `snapshot '${name}' does not exist`,
      log: [],
      effect: () => {
        vm.snapshots = vm.snapshots.filter((x) => x.name !== name);
      },
    });
    return ok(task.upid);
  });
}
