/** /v2/droplets: create one or many (with the real validation and fault answers), get, list with filters, delete. */
import { sortedValues } from '../engine/index.js';
import type { EmuRequest, EmuResponse, Router } from '../engine/types.js';
import { doError } from './errors.js';
import { paginate } from './paginate.js';
import { SEED_ACCOUNT, SEED_REGIONS } from './seed.js';
import { renderDroplet, sizeBySlug, sizeRegions, type DoState, type DropletRec, type ImageRec } from './state.js';

const NAME_RE = /^[a-zA-Z0-9]?[a-z0-9A-Z.\-]*[a-z0-9A-Z]$/;
const TAG_RE = /^[a-zA-Z0-9_\-:]+$/;
const USER_DATA_MAX = 64 * 1024;
/** The documented limit of a multi-create request. */
const MAX_NAMES = 10;
/** Droplets list in id order, as the API does. */
const byId = (a: DropletRec, b: DropletRec) => a.id - b.id;

/** A request body with its null members dropped: the API treats null as an absent optional field. */
export function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

export function findImage(state: DoState, ref: unknown): ImageRec | undefined {
  if (typeof ref === 'number' || (typeof ref === 'string' && /^\d+$/.test(ref))) return state.images.get(Number(ref));
  if (typeof ref === 'string') return [...state.images.values()].find((i) => i.slug === ref);
  return undefined;
}

export function dropletById(state: DoState, raw: string | undefined): DropletRec | undefined {
  return raw && /^\d+$/.test(raw) ? state.droplets.get(Number(raw)) : undefined;
}

export function registerDroplets(router: Router, state: DoState): void {
  const { ctx } = state;
  const fail = (status: number, id: string, message: string) => doError(ctx.random, status, id, message);
  const invalid = (message: string) => fail(422, 'unprocessable_entity', message);

  router.on('POST', '/v2/droplets', (req) => {
    state.settle();
    const raw = req.body;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail(400, 'bad_request', 'error parsing request body');
    // The real API reads null as "not given" for every optional field (Apache Libcloud sends "user_data": null).
    const b = withoutNulls(raw as Record<string, unknown>);
    const many = b.names !== undefined;
    const names: unknown[] = many ? (Array.isArray(b.names) ? b.names : [b.names]) : [b.name];
    if (many && (names.length === 0 || names.length > MAX_NAMES)) return invalid(`names must contain between 1 and ${MAX_NAMES} items`);
    for (const name of names) {
      if (typeof name !== 'string' || name.length > 255 || !NAME_RE.test(name)) {
        return invalid('Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)');
      }
    }
    const size = typeof b.size === 'string' ? sizeBySlug(b.size) : undefined;
    if (!size) return invalid('You specified an invalid size for Droplet creation.');
    const region = b.region === undefined ? sizeRegions(size)[0]! : b.region;
    if (typeof region !== 'string' || !SEED_REGIONS.some((r) => r.slug === region)) {
      return invalid('You specified an invalid region for Droplet creation.');
    }
    if (!sizeRegions(size).includes(region)) return invalid('Size is not available in this region.');
    const image = findImage(state, b.image);
    if (!image) return invalid('You specified an invalid image for Droplet creation.');
    const keys = (b.ssh_keys ?? []) as unknown[];
    if (!Array.isArray(keys) || !keys.every((k) => [...state.keys.values()].some((x) => x.id === Number(k) || x.fingerprint === k))) {
      return invalid('You specified invalid ssh key ids for Droplet creation.');
    }
    const tags = (b.tags ?? []) as unknown[];
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.length <= 255 && TAG_RE.test(t))) {
      return invalid('Tags may contain letters, numbers, colons, dashes, and underscores; there is a limit of 255 characters per tag.');
    }
    if (b.user_data !== undefined && (typeof b.user_data !== 'string' || Buffer.byteLength(b.user_data) > USER_DATA_MAX)) {
      return invalid('user_data is limited to 64 KiB.');
    }
    if (ctx.faults.quota(region, size.slug) || state.droplets.size + names.length > SEED_ACCOUNT.droplet_limit) {
      return invalid('creating this/these droplet(s) will exceed your droplet limit');
    }
    if (ctx.faults.capacity(region, size.slug, names.length)) return invalid('Size is not available in this region.');

    const authorizedKeys = keys.map((k) => [...state.keys.values()].find((x) => x.id === Number(k) || x.fingerprint === k)?.publicKey ?? '').filter(Boolean);
    const created = (names as string[]).map((name) => {
      const id = state.id();
      const d: DropletRec = {
        id,
        name,
        region,
        size: size.slug,
        imageId: image.id,
        tags: [...new Set(tags as string[])],
        ipv6: b.ipv6 === true,
        createdAt: ctx.clock.now(),
        power: 'on',
        snapshotIds: [],
        octets: [Math.floor(ctx.random() * 250) + 1, Math.floor(ctx.random() * 250) + 2],
        vpcUuid: typeof b.vpc_uuid === 'string' ? b.vpc_uuid : state.defaultVpc(region),
      };
      state.droplets.set(id, d);
      ctx.ssh?.register({ ip: `203.0.${d.octets[0]}.${d.octets[1]}`, authorizedKeys, userData: typeof b.user_data === 'string' ? b.user_data : null, bootedAtMs: d.createdAt + ctx.config.bootMs, hostname: d.name });
      const action = state.startCreate(d);
      return { d, link: { id: action.id, rel: 'create', href: `http://${req.headers.host ?? '127.0.0.1'}/v2/actions/${action.id}` } };
    });
    const links = { actions: created.map((c) => c.link) };
    if (many) return { status: 202, body: { droplets: created.map((c) => renderDroplet(state, c.d)), links } };
    return { status: 202, body: { droplet: renderDroplet(state, created[0]!.d), links } };
  });

  router.on('GET', '/v2/droplets', (req) => {
    state.settle();
    const tag = req.query.get('tag_name');
    const name = req.query.get('name');
    const type = req.query.get('type');
    if (tag && (name || type)) return fail(400, 'bad_request', 'tag_name can not be combined with name or type');
    let list = sortedValues(state.droplets, byId);
    if (tag) list = list.filter((d) => d.tags.includes(tag));
    else list = list.filter((d) => Boolean(sizeBySlug(d.size)!.gpu) === (type === 'gpus'));
    if (name) list = list.filter((d) => d.name.toLowerCase() === name.toLowerCase());
    return paginate(req, 'droplets', list, (d) => renderDroplet(state, d));
  });

  router.on('GET', '/v2/droplets/:id', (req) => {
    state.settle();
    const d = dropletById(state, req.params.id);
    return d ? { status: 200, body: { droplet: renderDroplet(state, d) } } : notFound(state);
  });

  router.on('DELETE', '/v2/droplets/:id', (req) => {
    state.settle();
    const d = dropletById(state, req.params.id);
    if (!d) return notFound(state);
    state.removeDroplet(d.id);
    return { status: 204 };
  });

  router.on('DELETE', '/v2/droplets', (req: EmuRequest): EmuResponse => {
    state.settle();
    const tag = req.query.get('tag_name');
    if (!tag) return fail(400, 'bad_request', 'tag_name is required');
    for (const d of [...state.droplets.values()]) if (d.tags.includes(tag)) state.removeDroplet(d.id);
    return { status: 204 };
  });
}

export function notFound(state: DoState): EmuResponse {
  return doError(state.ctx.random, 404, 'not_found', 'The resource you were accessing could not be found.');
}
