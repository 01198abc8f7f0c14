/**
 * A response body as JSON bytes, byte for byte what `Buffer.from(JSON.stringify(value))` gives.
 * Lists are encoded item by item: V8 returns a large JSON.stringify result in many pieces, and
 * joining them into bytes costs more than the stringify itself; each item's JSON is small and
 * converts at once. An item's fixed members (seed catalog objects, see `fixed`) are encoded once
 * per process and their bytes reused: three quarters of a Hetzner server are its type, datacenter,
 * location and image. This keeps a page of 50 servers cheap to send.
 */
const BIG_LIST = 8;

/** Fixed objects and their JSON bytes, made on first use. */
const fixedBytes = new WeakMap<object, Buffer | undefined>();
const keyJson = new Map<string, string>();

function freeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const member of Object.values(v)) freeze(member);
}

/**
 * Marks a value that never changes (it is frozen, deeply, so a change would throw): wherever a
 * list item holds it as a member, its encoded bytes are reused instead of made again.
 */
export function fixed<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    freeze(value);
    fixedBytes.set(value, undefined);
  }
  return value;
}

const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isFixed(v: unknown): v is object {
  return typeof v === 'object' && v !== null && fixedBytes.has(v);
}

function holdsFixed(item: Record<string, unknown>): boolean {
  for (const key in item) if (isFixed(item[key])) return true;
  return false;
}

function bytesOfFixed(v: object): Buffer {
  let bytes = fixedBytes.get(v);
  if (bytes === undefined) fixedBytes.set(v, (bytes = Buffer.from(JSON.stringify(v))));
  return bytes;
}

function jsonKey(key: string): string {
  let k = keyJson.get(key);
  if (k === undefined) {
    k = JSON.stringify(key);
    if (keyJson.size < 1000) keyJson.set(key, k); // field names; a map used as an item stays uncached
  }
  return k;
}

// Stands for a fixed member in one JSON.stringify of the item; U+0000 is written escaped, so the
// token is found in the text only where it was put (and that is checked: any other count falls back).
const MARK = '\u0000ferry-fixed\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** An item's bytes after `lead` (a comma or nothing): one piece, or text between its fixed members' bytes. */
function pushItem(item: unknown, lead: string, out: Buffer[]): void {
  if (omitted(item)) return void out.push(Buffer.from(`${lead}null`));
  if (isFixed(item)) return void out.push(Buffer.from(lead), bytesOfFixed(item));
  if (!isPlain(item) || !holdsFixed(item)) return void out.push(Buffer.from(lead + JSON.stringify(item)));
  const copy: Record<string, unknown> = { ...item };
  const fixedMembers: object[] = [];
  for (const key in copy) {
    const v = copy[key];
    if (isFixed(v)) {
      fixedMembers.push(v);
      copy[key] = MARK;
    }
  }
  const json = lead + JSON.stringify(copy);
  const parts: Buffer[] = [];
  let from = 0;
  for (const member of fixedMembers) {
    const at = json.indexOf(MARK_JSON, from);
    if (at < 0) return pushItemByMember(item, lead, out);
    parts.push(Buffer.from(json.slice(from, at)), bytesOfFixed(member));
    from = at + MARK_JSON.length;
  }
  if (json.indexOf(MARK_JSON, from) >= 0) return pushItemByMember(item, lead, out);
  out.push(...parts, Buffer.from(json.slice(from)));
}

/** The same, member by member: for an item whose own text holds the mark. */
function pushItemByMember(item: Record<string, unknown>, lead: string, out: Buffer[]): void {
  let text = `${lead}{`;
  let first = true;
  for (const key of Object.keys(item)) {
    const v = item[key];
    if (omitted(v)) continue;
    text += `${first ? '' : ','}${jsonKey(key)}:`;
    first = false;
    if (isFixed(v)) {
      out.push(Buffer.from(text), bytesOfFixed(v));
      text = '';
    } else {
      text += JSON.stringify(v);
    }
  }
  out.push(Buffer.from(`${text}}`));
}

function pushList(list: unknown[], open: string, out: Buffer[]): void {
  out.push(Buffer.from(`${open}[`));
  for (let i = 0; i < list.length; i++) pushItem(list[i], i ? ',' : '', out);
  out.push(Buffer.from(']'));
}

export function jsonBytes(value: unknown): Buffer {
  if (Array.isArray(value) && value.length > BIG_LIST) {
    const out: Buffer[] = [];
    pushList(value, '', out);
    return Buffer.concat(out);
  }
  if (!isPlain(value)) return Buffer.from(JSON.stringify(value) ?? '');
  const out: Buffer[] = [];
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (omitted(v)) continue;
    const open = `${first ? '{' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (Array.isArray(v) && v.length > BIG_LIST) pushList(v, open, out);
    else out.push(Buffer.from(open + JSON.stringify(v)));
  }
  out.push(Buffer.from(first ? '{}' : '}'));
  return Buffer.concat(out);
}
