/**
 * The emulated API of "acme", a throwaway provider that exists only to prove the provider kit: a
 * small JSON API (regions, sizes, images, servers with labels and pages) built on the engine alone.
 */
import { IdAllocator, pageOf, type EmulatedApi, type EmulatorContext, type EmuRequest, type EmuResponse, type Router } from '../../../src/emulator/engine/index.js';

interface ServerRec {
  id: number;
  name: string;
  region: string;
  size: string;
  image: string;
  labels: Record<string, string>;
  createdAt: number;
}

export const ACME_REGIONS = ['r1', 'r2'];
export const ACME_SIZES = [{ id: 'small', vcpus: 1, memory_gb: 1, disk_gb: 10 }];
export const ACME_IMAGES = ['ubuntu-24.04', 'debian-12'];

const err = (status: number, code: string, message: string): EmuResponse => ({ status, body: { error: { code, message } } });

export function createApi(ctx: EmulatorContext): EmulatedApi {
  const servers = new Map<number, ServerRec>();
  const ids = new IdAllocator(1000);
  const render = (s: ServerRec) => {
    const age = ctx.clock.now() - s.createdAt;
    return {
      id: s.id,
      name: s.name,
      region: s.region,
      size: s.size,
      image: s.image,
      labels: s.labels,
      status: age < ctx.config.bootMs ? 'booting' : 'running',
      ipv4: age < ctx.config.ipDelayMs ? null : `198.51.100.${s.id % 250}`,
      created_at: ctx.clock.iso(s.createdAt),
    };
  };
  const create = (req: EmuRequest): EmuResponse => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    for (const f of ['name', 'region', 'size', 'image'] as const) if (typeof b[f] !== 'string') return err(422, 'invalid_input', `${f} is required`);
    if (!ACME_REGIONS.includes(b.region as string)) return err(422, 'invalid_input', 'unknown region');
    if (ctx.faults.capacity(b.region as string, b.size as string)) return err(503, 'no_capacity', 'no capacity');
    const rec: ServerRec = { id: ids.allocate('server'), name: b.name as string, region: b.region as string, size: b.size as string, image: b.image as string, labels: (b.labels as Record<string, string>) ?? {}, createdAt: ctx.clock.now() };
    servers.set(rec.id, rec);
    return { status: 201, body: { server: render(rec) } };
  };
  const list = (req: EmuRequest): EmuResponse => {
    const wanted = req.query.getAll('label').map((l) => l.split('='));
    const all = [...servers.values()].filter((s) => wanted.every(([k, v]) => s.labels[k!] === v));
    const page = pageOf(all, req.query, { defaultPerPage: 25, maxPerPage: 50 });
    return { status: 200, body: { servers: page.items.map(render), next_page: page.page < page.lastPage ? page.page + 1 : null } };
  };
  const one = (req: EmuRequest) => servers.get(Number(req.params.id));
  return {
    name: 'acme',
    register(router: Router) {
      router.on('GET', '/v1/regions', () => ({ status: 200, body: { regions: ACME_REGIONS.map((id) => ({ id })) } }));
      router.on('GET', '/v1/sizes', () => ({ status: 200, body: { sizes: ACME_SIZES } }));
      router.on('GET', '/v1/images', () => ({ status: 200, body: { images: ACME_IMAGES.map((id) => ({ id })) } }));
      router.on('POST', '/v1/servers', create);
      router.on('GET', '/v1/servers', list);
      router.on('GET', '/v1/servers/:id', (req) => {
        const s = one(req);
        return s ? { status: 200, body: { server: render(s) } } : err(404, 'not_found', 'no such server');
      });
      router.on('DELETE', '/v1/servers/:id', (req) => {
        const s = one(req);
        if (!s) return err(404, 'not_found', 'no such server');
        servers.delete(s.id);
        return { status: 204 };
      });
    },
    authenticate: (req) => !!req.token && !req.token.startsWith('invalid'),
    errorResponse: (status, code, message) => err(status, code, message),
  };
}
