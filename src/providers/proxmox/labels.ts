/**
 * ferry's labels on a Proxmox VM. PVE has no key/value labels, only tags
 * (pve-tag-list: each tag matches [a-z0-9_][a-z0-9_+.-]*, case kept), so each label
 * k=v becomes the tag "k+v": '+' is legal in a tag and illegal in a label, so the
 * split is unambiguous and one GET /cluster/resources returns every VM's labels.
 * The description carries the same facts for people reading the PVE web UI, plus
 * what tags cannot hold (image, creation time) — and it is set at clone time, so an
 * interrupted create can be recognised before its tags are written.
 */

const TAG_RE = /^[a-z0-9_][a-z0-9_+.-]*$/i;
const LABEL_KEY_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/i;
const LABEL_VALUE_RE = /^[a-z0-9._-]{0,63}$/i;

export function splitTags(tags: string | undefined): string[] {
  return (tags ?? '').split(/[;, ]+/).filter(Boolean);
}

export function joinTags(tags: readonly string[]): string {
  return [...new Set(tags)].join(';');
}

export function labelsToTags(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => {
    const tag = `${k}+${v}`;
    if (!TAG_RE.test(tag)) throw new Error(`label ${k}=${v} cannot be written as a Proxmox tag`);
    return tag;
  });
}

/** Tags that are not label-shaped (a user's own "prod", "c++") are left out. */
export function tagsToLabels(tags: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of splitTags(tags)) {
    const plus = tag.indexOf('+');
    if (plus <= 0) continue;
    const key = tag.slice(0, plus);
    const value = tag.slice(plus + 1);
    if (LABEL_KEY_RE.test(key) && LABEL_VALUE_RE.test(value)) out[key] = value;
  }
  return out;
}

/** Labels as tags, with the VM's other tags kept. */
export function mergeTags(existing: string | undefined, labels: Record<string, string>): string {
  const keys = new Set(Object.keys(labels));
  const kept = splitTags(existing).filter((t) => {
    const plus = t.indexOf('+');
    return plus <= 0 || !keys.has(t.slice(0, plus));
  });
  return joinTags([...kept, ...labelsToTags(labels)]);
}

export interface FerryNote {
  createId: string;
  created: string;
  image: string;
}

const NOTE_HEAD = 'managed-by: ferry';

/** The VM description ferry writes: one "key: value" per line. */
export function formatNote(n: FerryNote): string {
  return [NOTE_HEAD, `create-id: ${n.createId}`, `created: ${n.created}`, `image: ${n.image}`].join('\n');
}

export function parseNote(description: string | undefined): Partial<FerryNote> | null {
  if (!description) return null;
  const lines = description.split(/\r?\n/).map((l) => l.trim());
  if (!lines.includes(NOTE_HEAD)) return null;
  const get = (key: string) => lines.find((l) => l.startsWith(`${key}: `))?.slice(key.length + 2);
  const note: Partial<FerryNote> = {};
  const createId = get('create-id');
  const created = get('created');
  const image = get('image');
  if (createId) note.createId = createId;
  if (created) note.created = created;
  if (image) note.image = image;
  return note;
}
