import type { PveState, VmRecord } from './state.js';

/** The fields status/current, the VM list and cluster resources share. */
export function vmSummary(s: PveState, v: VmRecord) {
  const c = v.config;
  const cores = Number(c.cores ?? 1) * Number(c.sockets ?? 1);
  const memMb = Number(String(c.memory ?? '512').replace(/^current=/, '').split(',')[0]);
  const disk = /size=(\d+)([MG])/.exec(String(c.scsi0 ?? ''));
  const maxdisk = disk ? Number(disk[1]) * (disk[2] === 'G' ? 1024 ** 3 : 1024 ** 2) : 0;
  const now = s.ctx.clock.now();
  return {
    name: String(c.name ?? `VM ${v.vmid}`),
    status: (v.running ? 'running' : 'stopped') as 'running' | 'stopped',
    template: c.template ? 1 : 0,
    tags: c.tags === undefined ? undefined : String(c.tags),
    cpus: cores,
    maxmem: memMb * 1024 * 1024,
    maxdisk,
    uptime: v.running && v.startedAt !== null ? Math.max(0, Math.floor((now - v.startedAt) / 1000)) : 0,
  };
}
