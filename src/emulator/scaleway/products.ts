/** Instance v1 /products/servers (prices, GPUs) and /products/servers/availability, per zone. */
import type { EmuRequest, Router } from '../engine/index.js';
import { INSTANCE_ZONES, renderType, typesIn } from './catalog.js';
import { invalidArguments } from './errors.js';

function page<T>(entries: [string, T][], q: URLSearchParams): { status: number; body: unknown; headers: Record<string, string> } | ReturnType<typeof invalidArguments> {
  const pageNo = Number(q.get('page') ?? '1');
  const size = Number(q.get('per_page') ?? '50');
  if (!Number.isInteger(pageNo) || pageNo < 1) return invalidArguments('page', 'must be a positive integer');
  if (!Number.isInteger(size) || size < 1 || size > 100) return invalidArguments('per_page', 'must be between 1 and 100');
  const slice = entries.slice((pageNo - 1) * size, pageNo * size);
  return { status: 200, body: { servers: Object.fromEntries(slice) }, headers: { 'X-Total-Count': String(entries.length) } };
}

export function registerProducts(router: Router): void {
  const guard = (req: EmuRequest) => (INSTANCE_ZONES.includes(req.params.zone ?? '') ? undefined : invalidArguments('zone', `unknown zone; valid: ${INSTANCE_ZONES.join(', ')}`));
  router.on('GET', '/instance/v1/zones/:zone/products/servers', (req) => guard(req) ?? page(typesIn(req.params.zone!).map((t) => [t.name, renderType(t)]), req.query));
  router.on('GET', '/instance/v1/zones/:zone/products/servers/availability', (req) =>
    guard(req) ?? page(typesIn(req.params.zone!).map((t) => [t.name, { availability: t.availability ?? 'available' }]), req.query),
  );
}
