import { randomUUID } from 'node:crypto';
import type { ImageSpec, InstanceRequest } from './types.js';
import { UserError } from './errors.js';

/** Every resource ferry creates carries this label; listings filter on it. */
export const MANAGED_BY_KEY = 'managed-by';
export const MANAGED_BY_VALUE = 'ferry';
/** Idempotency key of a create: looked up after an ambiguous failure and by `ferry gc`. */
export const CREATE_ID_KEY = 'ferry-create-id';

export function newCreateId(): string {
  return randomUUID();
}

/** The labels a driver must put on a new instance. */
export function ferryLabels(req: InstanceRequest & { createId: string }): Record<string, string> {
  return { ...req.labels, [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [CREATE_ID_KEY]: req.createId };
}

export function isManaged(labels: Record<string, string>): boolean {
  return labels[MANAGED_BY_KEY] === MANAGED_BY_VALUE;
}

export function hasLabels(labels: Record<string, string>, wanted: Record<string, string> | undefined): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks what every provider accepts before any network call. */
export function checkRequest(req: InstanceRequest): void {
  if (!NAME_RE.test(req.name)) {
    throw new UserError(
      `invalid instance name "${req.name}"`,
      'use 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    );
  }
  for (const [field, value] of [['region', req.region], ['size', req.size]] as const) {
    if (!value || !value.trim()) throw new UserError(`missing ${field}`, `pass --${field}`);
  }
  for (const [k, v] of Object.entries(req.labels ?? {})) {
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(k) || !/^[a-z0-9._-]{0,63}$/i.test(v)) {
      throw new UserError(`invalid label ${k}=${v}`, 'labels are key=value with letters, digits, ".", "_" and "-" (63 at most)');
    }
  }
}

/** checkRequest, and fills createId. */
export function normaliseRequest(req: InstanceRequest): InstanceRequest & { createId: string } {
  checkRequest(req);
  return { ...req, createId: req.createId ?? newCreateId() };
}

/** "ubuntu-24.04", "debian-12", "snapshot:123", anything else passes through as a custom id. */
export function parseImageSpec(text: string): ImageSpec {
  const t = text.trim();
  if (!t) throw new UserError('missing image', 'pass --image, e.g. ubuntu-24.04, debian-12 or snapshot:<id>');
  let m = /^ubuntu[-:@ ]?(\d{2}\.\d{2})$/i.exec(t);
  if (m) return { kind: 'ubuntu', version: m[1]! };
  m = /^debian[-:@ ]?(\d{1,2})$/i.exec(t);
  if (m) return { kind: 'debian', version: m[1]! };
  m = /^snapshot:(.+)$/.exec(t);
  if (m) return { kind: 'snapshot', id: m[1]! };
  m = /^custom:(.+)$/.exec(t);
  return { kind: 'custom', id: m ? m[1]! : t };
}

export function formatImageSpec(spec: ImageSpec): string {
  switch (spec.kind) {
    case 'ubuntu':
      return `ubuntu-${spec.version}`;
    case 'debian':
      return `debian-${spec.version}`;
    case 'snapshot':
      return `snapshot:${spec.id}`;
    case 'custom':
      return spec.id;
  }
}
