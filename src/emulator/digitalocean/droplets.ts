/** /v2/droplets: create (with the real validation and fault answers), get, list with filters, delete. */
import type { EmuRequest, EmuResponse, Router } from '../engine/types.js';
import { doError } from './errors.js';
import { paginate } from './paginate.js';
import { SEED_ACCOUNT, SEED_REGIONS } from './seed.js';
import { renderDroplet, sizeBySlug, sizeRegions, type DoState, type DropletRec, type ImageRec } from './state.js';

const NAME_RE = /^[a-zA-Z0-9]?[a-z0-9A-Z.\-]*[a-z0-9A-Z]$/;
const TAG_RE = /^[a-zA-Z0-9_\-:]+$/;
const USER_DATA_MAX = 64 * 1024;

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
    const b = req.body;
    if (!b || typeof b !== 'object' || Array.isArray(b)) return fail(400, 'bad_request', 'error parsing request body');
    if (Array.isArray(b.names)) return invalid('ferry emulator: multiple-droplet create is not emulated; send one name');
    if (typeof b.name !== 'string' || b.name.length > 255 || !NAME_RE.test(b.name)) {
      return invalid('Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)');
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
    const keys: unknown[] = b.ssh_keys ?? [];
    if (!Array.isArray(keys) || !keys.every((k) => [...state.keys.values()].some((x) => x.id === Number(k) || x.fingerprint === k))) {
      return invalid('You specified invalid ssh key ids for Droplet creation.');
    }
    const tags: unknown[] = b.tags ?? [];
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.length <= 255 && TAG_RE.test(t))) {
      return invalid('Tags may contain letters, numbers, colons, dashes, and underscores; there is a limit of 255 characters per tag.');
    }
    if (b.user_data !== undefined && (typeof b.user_data !== 'string' || Buffer.byteLength(b.user_data) > USER_DATA_MAX)) {
      return invalid('user_data is limited to 64 KiB.');
    }
    if (ctx.faults.quota(region, size.slug) || state.droplets.size >= SEED_ACCOUNT.droplet_limit) {
      return invalid('creating this/these droplet(s) will exceed your droplet limit');
    }
    if (ctx.faults.capacity(region, size.slug)) return invalid('Size is not available in this region.');

    const id = state.id();
    const d: DropletRec = {
      id,
      name: b.name,
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
    const authorizedKeys = keys.map((k) => [...state.keys.values()].find((x) => x.id === Number(k) || x.fingerprint === k)?.publicKey ?? '').filter(Boolean);
    ctx.ssh?.register({ ip: `203.0.${d.octets[0]}.${d.octets[1]}`, authorizedKeys, userData: typeof b.user_data === 'string' ? b.user_data : null, bootedAtMs: d.createdAt + ctx.config.bootMs, hostname: d.name });
    const action = state.startAction('create', d, ctx.config.bootMs);
    const href = `http://${req.headers.host ?? '127.0.0.1'}/v2/actions/${action.id}`;
    return { status: 202, body: { droplet: renderDroplet(state, d), links: { actions: [{ id: action.id, rel: 'create', href }] } } };
  });

  router.on('GET', '/v2/droplets', (req) => {
    state.settle();
    const tag = req.query.get('tag_name');
    const name = req.query.get('name');
    const type = req.query.get('type');
    if (tag && (name || type)) return fail(400, 'bad_request', 'tag_name can not be combined with name or type');
    let list = [...state.droplets.values()].sort((a, b) => a.id - b.id);
    if (tag) list = list.filter((d) => d.tags.includes(tag));
    else list = list.filter((d) => Boolean(sizeBySlug(d.size)!.gpu) === (type === 'gpus'));
    if (name) list = list.filter((d) => d.name.toLowerCase() === name.toLowerCase());
    return paginate(req, 'droplets', list.map((d) => renderDroplet(state, d)));
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
    const tag = req.query.get('tag_name');
    if (!tag) return fail(400, 'bad_request', 'tag_name is required');
    for (const d of [...state.droplets.values()]) if (d.tags.includes(tag)) state.removeDroplet(d.id);
    return { status: 204 };
  });
}

export function notFound(state: DoState): EmuResponse {
  return doError(state.ctx.random, 404, 'not_found', 'The resource you were accessing could not be found.');
}
