/** Small readers of request parts shared by the handlers. */
import type { EmuRequest, EmuResponse } from '../engine/index.js';
import { hcError, invalidInput } from './errors.js';
import { parseSelector } from './labels.js';
import type { Labels } from './state.js';

/** The numeric {id} path parameter, or the API's answer to a malformed one. */
export function idParam(req: EmuRequest, name = 'id'): number | EmuResponse {
  const raw = req.params[name] ?? '';
  return /^\d{1,16}$/.test(raw) ? Number(raw) : invalidInput(name, 'must be an integer');
}

export function isResponse(x: unknown): x is EmuResponse {
  return typeof x === 'object' && x !== null && 'status' in x;
}

/** The JSON body as an object, or invalid_input. */
export function bodyObject(req: EmuRequest): Record<string, unknown> | EmuResponse {
  const b = req.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return hcError(400, 'json_error', 'request body must be a JSON object');
  return b as Record<string, unknown>;
}

/** Applies ?name= and ?label_selector= (every list endpoint that has labels takes both). */
export function filterByNameAndLabels<T extends { name: string; labels: Labels }>(items: readonly T[], query: URLSearchParams): readonly T[] | EmuResponse {
  const selector = query.get('label_selector');
  const name = query.get('name');
  if (name === null && !selector?.trim()) return items;
  const pred = parseSelector(selector);
  if (typeof pred === 'string') return invalidInput('label_selector', pred);
  return items.filter((i) => (name === null || i.name === name) && pred(i.labels));
}

/** Resource names: alphanumerics, dashes, underscores, dots; start and end alphanumeric; 64 at most. */
export function validName(name: unknown): name is string {
  return typeof name === 'string' && /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,62}[a-zA-Z0-9])?$/.test(name);
}

export const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;
