/** /v2/instances and /v2/bare-metals: create, list (cursor, tag/label/region filters), get, update, delete, power, reinstall. */
import { compareIds, sortedValues, type EmuRequest, type EmuResponse, type Router } from '../engine/index.js';
import { bodyOf, isResponse, noContent, notFound, paginate } from './http.js';
import { createMachine, power, reinstall, updateMachine, type PowerAction } from './machines.js';
import type { MachineKind, MachineRec, VultrState } from './state.js';
import { bareMetalWire, instanceWire } from './wire.js';

interface Flavour {
  kind: MachineKind;
  base: string;
  param: string;
  one: string;
  many: string;
  wire: (st: VultrState, m: MachineRec, withPassword?: boolean) => Record<string, unknown>;
}

const FLAVOURS: Flavour[] = [
  { kind: 'instance', base: '/v2/instances', param: 'instance-id', one: 'instance', many: 'instances', wire: instanceWire },
  { kind: 'bare-metal', base: '/v2/bare-metals', param: 'baremetal-id', one: 'bare_metal', many: 'bare_metals', wire: bareMetalWire },
];

const byCreation = (a: MachineRec, b: MachineRec) => a.createdAt - b.createdAt || compareIds(a.id, b.id);

export function registerMachines(router: Router, st: VultrState): void {
  for (const f of FLAVOURS) registerFlavour(router, st, f);
}

function registerFlavour(router: Router, st: VultrState, f: Flavour): void {
  const find = (req: EmuRequest): MachineRec | EmuResponse => st.machine(f.kind, req.params.id ?? '') ?? notFound(f.param);
  const ok = (status: number, m: MachineRec, withPassword = false): EmuResponse => ({
    status,
    // The 2023 spec names the bare-metal create's key "baremetal"; the live API (and govultr) use "bare_metal" throughout.
    body: { [f.one]: f.wire(st, m, withPassword) },
  });

  router.on('POST', f.base, (req) => {
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const m = createMachine(st, f.kind, body);
    return isResponse(m) ? m : ok(202, m, true);
  });

  router.on('GET', f.base, (req) => {
    const q = req.query;
    const tag = q.get('tag');
    const label = q.get('label');
    const region = q.get('region');
    const mainIp = q.get('main_ip');
    const items = sortedValues(st.machines, byCreation).filter(
      (m) =>
        m.kind === f.kind &&
        (f.kind !== 'instance' || !tag || m.tags.includes(tag)) &&
        (!label || m.label === label) &&
        (!region || m.region === region) &&
        (!mainIp || (st.hasAddress(m) && m.ipv4 === mainIp)),
    );
    return paginate(f.many, items, q, (m) => f.wire(st, m));
  });

  router.on('GET', `${f.base}/:id`, (req) => {
    const m = find(req);
    return isResponse(m) ? m : ok(200, m);
  });

  router.on('PATCH', `${f.base}/:id`, (req) => {
    const m = find(req);
    if (isResponse(m)) return m;
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    const err = updateMachine(st, m, body);
    return err ?? ok(202, m);
  });

  router.on('DELETE', `${f.base}/:id`, (req) => {
    const m = find(req);
    if (isResponse(m)) return m;
    st.machines.delete(m.id);
    for (const b of st.blocks.values()) if (b.attachedTo === m.id) b.attachedTo = '';
    return noContent;
  });

  for (const action of ['halt', 'start', 'reboot'] as PowerAction[]) {
    router.on('POST', `${f.base}/:id/${action}`, (req) => {
      const m = find(req);
      if (isResponse(m)) return m;
      return power(st, m, action) ?? noContent;
    });
  }

  router.on('POST', `${f.base}/:id/reinstall`, (req) => {
    const m = find(req);
    if (isResponse(m)) return m;
    const body = bodyOf(req);
    if (isResponse(body)) return body;
    if (typeof body.hostname === 'string' && body.hostname) m.hostname = body.hostname;
    reinstall(st, m);
    return ok(202, m);
  });

  router.on('GET', `${f.base}/:id/user-data`, (req) => {
    const m = find(req);
    return isResponse(m) ? m : { status: 200, body: { user_data: { data: m.userData } } };
  });
}
