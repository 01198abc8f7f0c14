/**
 * Checks a create against DigitalOcean's own lists before anything is sent: region, size (and
 * that the size is sold in the region) and image. Each failure is a UserError naming valid choices.
 */
import { formatImageSpec, listChoices, UserError, type InstanceRequest, type OperationOptions } from '../../core/index.js';
import type { DoClient } from './client.js';
import { imageSlugOf, isAvailable } from './mapping.js';
import type { DoImage, DoRegion, DoSize } from './schema.js';

export interface Catalog {
  regions: DoRegion[];
  sizes: DoSize[];
  images: DoImage[];
}

export function checkRegion(catalog: Pick<Catalog, 'regions'>, region: string): DoRegion {
  const found = catalog.regions.find((r) => r.slug === region);
  const open = catalog.regions.filter(isAvailable).map((r) => r.slug);
  if (!found || !isAvailable(found)) {
    throw new UserError(`DigitalOcean has no ${found ? 'available ' : ''}region "${region}"`, `choose one of: ${listChoices(open)}`, { field: 'region', choices: open });
  }
  return found;
}

export function checkSize(catalog: Pick<Catalog, 'sizes'>, size: string): DoSize {
  const found = catalog.sizes.find((s) => s.slug === size);
  if (!found || !isAvailable(found)) {
    const choices = catalog.sizes.filter(isAvailable).map((s) => s.slug);
    throw new UserError(`DigitalOcean has no ${found ? 'available ' : ''}size "${size}"`, `choose one of: ${listChoices(choices, 20)}`, { field: 'size', choices });
  }
  return found;
}

export async function checkCreate(
  client: DoClient,
  catalog: Catalog,
  req: InstanceRequest,
  o?: OperationOptions,
): Promise<void> {
  checkRegion(catalog, req.region);
  const size = checkSize(catalog, req.size);
  const sizeRegions = size.regions ?? [];
  if (!sizeRegions.includes(req.region)) {
    throw new UserError(`DigitalOcean size "${req.size}" is not sold in region "${req.region}"`, `regions for ${req.size}: ${listChoices(sizeRegions)}`, { field: 'region', choices: sizeRegions });
  }
  const image = imageSlugOf(req.image);
  if (req.image.kind === 'ubuntu' || req.image.kind === 'debian') {
    if (catalog.images.some((i) => i.slug === image)) return;
    const choices = catalog.images.map((i) => i.slug).filter((s): s is string => Boolean(s));
    throw new UserError(`DigitalOcean has no image for ${formatImageSpec(req.image)} ("${image}")`, `distribution images: ${listChoices(choices, 20)}`, { field: 'image', choices });
  }
  const found = catalog.images.find((i) => i.slug === image || i.id === image) ?? (await client.getImage(image, o));
  if (!found) {
    const what = req.image.kind === 'snapshot' ? 'snapshot' : 'image';
    throw new UserError(`DigitalOcean has no ${what} "${req.image.id}"`, `use ubuntu-<version>, debian-<version>, snapshot:<id> or a slug such as ${listChoices(catalog.images.map((i) => i.slug ?? '').filter(Boolean), 6)}`, { field: 'image' });
  }
  if (!found.regions.includes(req.region) && found.type !== 'base') {
    throw new UserError(`DigitalOcean image "${req.image.id}" is not available in region "${req.region}"`, `its regions: ${listChoices(found.regions)}`, { field: 'image' });
  }
}
