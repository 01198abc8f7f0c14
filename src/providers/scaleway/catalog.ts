/**
 * Zones, commercial types and images, read once and kept a few minutes: preflight checks a create
 * against them (UserError naming valid choices) before anything is sent.
 */
import { formatImageSpec, listChoices, UserError, type ImageSpec, type OperationOptions } from '../../core/index.js';
import type { ScalewayClient } from './client.js';
import { parseZonedId } from './ids.js';
import type { ScwLocalImage, ScwOffer, ScwOs, ScwServerType } from './schema.js';

/** The zones the Instance v1 description enumerates, and those of Elastic Metal v1. */
export const INSTANCE_ZONES = ['fr-par-1', 'fr-par-2', 'fr-par-3', 'nl-ams-1', 'nl-ams-2', 'nl-ams-3', 'pl-waw-1', 'pl-waw-2', 'pl-waw-3', 'it-mil-1'] as const;
export const BAREMETAL_ZONES = ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'nl-ams-2', 'pl-waw-2', 'pl-waw-3'] as const;

/** Elastic Metal offers are named EM-…; every other size is an Instance commercial type. */
export const isBaremetalSize = (size: string) => /^EM-/i.test(size);

/** Distribution versions → Marketplace image labels. */
export const IMAGE_LABELS: Record<string, string> = {
  'ubuntu-24.04': 'ubuntu_noble',
  'ubuntu-22.04': 'ubuntu_jammy',
  'ubuntu-20.04': 'ubuntu_focal',
  'debian-13': 'debian_trixie',
  'debian-12': 'debian_bookworm',
  'debian-11': 'debian_bullseye',
};

const TTL_MS = 10 * 60_000;

export class Cached<K, T> {
  private readonly values = new Map<K, { at: number; p: Promise<T> }>();
  constructor(private readonly load: (key: K, o?: OperationOptions) => Promise<T>) {}
  get(key: K, o?: OperationOptions): Promise<T> {
    const hit = this.values.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.p;
    const p = this.load(key, o);
    // A failed read is not remembered: the next caller asks again.
    p.catch(() => {
      if (this.values.get(key)?.p === p) this.values.delete(key);
    });
    this.values.set(key, { at: Date.now(), p });
    return p;
  }
}

export function checkZone(zone: string, baremetal = false): void {
  const valid: readonly string[] = baremetal ? BAREMETAL_ZONES : INSTANCE_ZONES;
  if (!valid.includes(zone)) {
    throw new UserError(`unknown scaleway ${baremetal ? 'Elastic Metal ' : ''}zone "${zone}"`, `valid zones: ${listChoices([...valid])}`);
  }
}

export class ScalewayCatalog {
  readonly types: Cached<string, Record<string, ScwServerType>>;
  readonly offers: Cached<string, ScwOffer[]>;
  readonly os: Cached<string, ScwOs[]>;
  /** Marketplace local images by label, zone and arch: a fleet of one image asks once, not once a server. */
  private readonly localImages: Cached<string, ScwLocalImage[]>;

  constructor(private readonly client: ScalewayClient) {
    this.types = new Cached((zone, o) => client.listServerTypes(zone, o));
    this.offers = new Cached((zone, o) => client.listModern<ScwOffer>(`/baremetal/v1/zones/${zone}/offers`, 'offers', {}, o));
    this.os = new Cached((zone, o) => client.listModern<ScwOs>(`/baremetal/v1/zones/${zone}/os`, 'os', {}, o));
    this.localImages = new Cached((key, o) => {
      const [image_label, zone, arch] = key.split('\n') as [string, string, string];
      return client.listLocalImages({ image_label, zone, type: 'instance_sbs', arch }, o);
    });
  }

  async checkType(size: string, zone: string, o?: OperationOptions): Promise<ScwServerType> {
    checkZone(zone);
    const types = await this.types.get(zone, o);
    const found = types[size];
    if (!found || found.end_of_service) {
      const names = Object.entries(types).filter(([, t]) => !t.end_of_service).map(([n]) => n).sort();
      throw new UserError(`unknown scaleway size "${size}" in ${zone}`, `valid sizes there: ${listChoices(names, 40)}; Elastic Metal offers are named EM-…`);
    }
    return found;
  }

  async checkOffer(size: string, zone: string, o?: OperationOptions): Promise<ScwOffer> {
    checkZone(zone, true);
    const offers = (await this.offers.get(zone, o)).filter((x) => x.enable !== false);
    const found = offers.find((x) => x.name.toLowerCase() === size.toLowerCase());
    if (!found) throw new UserError(`unknown Elastic Metal offer "${size}" in ${zone}`, `offers there: ${listChoices(offers.map((x) => x.name), 40)}`);
    return found;
  }

  /** An Elastic Metal OS for an ubuntu/debian spec, or an OS id. */
  async checkOs(spec: ImageSpec, zone: string, o?: OperationOptions): Promise<ScwOs> {
    const all = (await this.os.get(zone, o)).filter((x) => x.enabled !== false && x.allowed !== false);
    const found =
      spec.kind === 'ubuntu' || spec.kind === 'debian'
        ? all.find((x) => x.name.toLowerCase() === spec.kind && x.version.startsWith(spec.version))
        : all.find((x) => x.id === spec.id);
    if (!found) {
      throw new UserError(`unknown Elastic Metal OS "${formatImageSpec(spec)}" in ${zone}`, `available: ${listChoices(all.map((x) => `${x.name.toLowerCase()}-${x.version.split(' ')[0]} (${x.id})`))}`);
    }
    return found;
  }

  /**
   * The image id for POST /servers: a Marketplace label resolved to the zone's local image for the
   * type's architecture (instance_sbs, Scaleway's default), one of the project's images (ferry's
   * snapshots are images), or an image id passed through after a check.
   */
  async resolveImage(spec: ImageSpec, zone: string, commercialType: string, type: ScwServerType, o?: OperationOptions): Promise<string> {
    const arch = type.arch === 'arm' ? 'arm64' : (type.arch ?? 'x86_64');
    if (spec.kind === 'snapshot' || (spec.kind === 'custom' && /^[0-9a-f-]{36}$|\//.test(spec.id))) {
      const ref = parseZonedId(spec.id);
      if (ref && ref.zone !== zone) throw new UserError(`image ${spec.id} is in ${ref.zone}, the server would be in ${zone}`, 'create the server in the image\'s zone');
      const id = ref?.id ?? spec.id;
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
        throw new UserError(`invalid scaleway image id "${spec.id}"`, 'image ids are UUIDs, optionally with their zone: fr-par-1/<uuid>');
      }
      const img = await this.client.getImage(zone, id, o);
      if (img) {
        if (img.arch && img.arch !== arch) throw new UserError(`image ${formatImageSpec(spec)} is built for ${img.arch}, size ${commercialType} is ${arch}`);
        return img.id;
      }
      // Not one of the project's images: perhaps a Marketplace local image id.
      const local = spec.kind === 'custom' ? await this.client.getLocalImage(id, o) : null;
      if (!local) throw new UserError(`scaleway image ${formatImageSpec(spec)} does not exist in ${zone}`, 'list snapshots with `ferry snapshot ls --provider scaleway`, or pass ubuntu-24.04, debian-12 or a Marketplace label');
      if (local.zone !== zone) throw new UserError(`local image ${id} is for ${local.zone}, the server would be in ${zone}`);
      if (local.arch !== arch) throw new UserError(`local image ${id} is ${local.arch}, size ${commercialType} is ${arch}`);
      return local.id;
    }
    const label = spec.kind === 'custom' ? spec.id : IMAGE_LABELS[formatImageSpec(spec)];
    const hits = label ? await this.localImages.get([label, zone, arch].join('\n'), o) : [];
    const fit = hits.find((i) => !i.compatible_commercial_types?.length || i.compatible_commercial_types.includes(commercialType));
    if (fit) return fit.id;
    const labels = (await this.client.listMarketplaceImages(o)).map((i) => i.label);
    const known = Object.keys(IMAGE_LABELS);
    throw new UserError(
      `unknown scaleway image "${formatImageSpec(spec)}" for ${commercialType} (${arch}) in ${zone}`,
      `valid images: ${listChoices(known)}, or a Marketplace label (${listChoices(labels, 20)}), or snapshot:<zone>/<id>`,
    );
  }
}
