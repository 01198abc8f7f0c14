/** What every driver does with single resources: null on not-found, idempotent delete, find-or-create. */
import { ProviderError } from '../errors.js';

/** The resource, or null when the provider says it does not exist (never on auth or other failures). */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (ProviderError.is(err, 'not_found')) return null;
    throw err;
  }
}

/** A delete of something already gone is success. */
export async function ignoreNotFound(remove: Promise<unknown>): Promise<void> {
  try {
    await remove;
  } catch (err) {
    if (!ProviderError.is(err, 'not_found')) throw err;
  }
}

/**
 * Find, else create; when the create loses a race (a conflict: someone made it meanwhile, or our own
 * earlier create whose answer was lost), find again and return that one.
 */
export async function findOrCreate<T>(find: () => Promise<T | null>, create: () => Promise<T>): Promise<T> {
  const existing = await find();
  if (existing) return existing;
  try {
    return await create();
  } catch (err) {
    if (!ProviderError.is(err, 'conflict') && !ProviderError.is(err, 'invalid_config')) throw err;
    const raced = await find();
    if (raced) return raced;
    throw err;
  }
}
