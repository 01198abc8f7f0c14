/**
 * A response body as JSON bytes, byte for byte what `Buffer.from(JSON.stringify(value))` gives.
 * The fixed members of list items (seed catalog objects, see `fixed`) are encoded once per process
 * and reused: three quarters of a Hetzner server are its type, datacenter, location and image. The
 * rest is made as text and converted in as few pieces as possible: one conversion of a long string
 * costs less than a buffer per item, but re-encoding a large fixed member costs more than its bytes.
 */
const BIG_LIST = 8;
/** Fixed members longer than this are spliced in as bytes; shorter ones as text. */
const SPLICE_BYTES = 256;

interface Encoded {
  json: string;
  bytes?: Buffer;
}

/** Fixed objects and their encoding, made on first use. */
const fixedJson = new WeakMap<object, Encoded | undefined>();
const keyJson = new Map<string, string>();

function freeze(v: unknown): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const member of Object.values(v)) freeze(member);
}

/**
 * Marks a value that never changes (it is frozen, deeply, so a change would throw): wherever a
 * list item holds it as a member, its encoding is reused instead of made again.
 */
export function fixed<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    freeze(value);
    fixedJson.set(value, undefined);
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
  return typeof v === 'object' && v !== null && fixedJson.has(v);
}

function holdsFixed(item: unknown): item is Record<string, unknown> {
  if (!isPlain(item)) return false;
  for (const key in item) if (isFixed(item[key])) return true;
  return false;
}

function encodedFixed(v: object): Encoded {
  let e = fixedJson.get(v);
  if (e === undefined) {
    const json = JSON.stringify(v);
    fixedJson.set(v, (e = json.length > SPLICE_BYTES ? { json, bytes: Buffer.from(json) } : { json }));
  }
  return e;
}

function jsonKey(key: string): string {
  let k = keyJson.get(key);
  if (k === undefined) {
    k = JSON.stringify(key);
    if (keyJson.size < 1000) keyJson.set(key, k); // field names; a map used as an item stays uncached
  }
  return k;
}

/** Text collected into one string until a large fixed member's bytes go in between. */
class Out {
  private readonly parts: Buffer[] = [];
  private text = '';

  add(text: string): void {
    this.text += text;
  }

  addFixed(v: object): void {
    const e = encodedFixed(v);
    if (!e.bytes) return this.add(e.json);
    if (this.text) this.parts.push(Buffer.from(this.text));
    this.text = '';
    this.parts.push(e.bytes);
  }

  bytes(): Buffer {
    if (this.text || !this.parts.length) this.parts.push(Buffer.from(this.text));
    return this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
  }
}

// Stands for a fixed member in one JSON.stringify of the item; U+0000 is written escaped, so the
// token is found in the text only where it was put (and that is checked: any other count falls back).
const MARK = '\u0000ferry-fixed\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** An item holding fixed members: one stringify with marks in their places, then the members put in. */
function addItem(item: Record<string, unknown>, out: Out): void {
  const copy: Record<string, unknown> = { ...item };
  const fixedMembers: object[] = [];
  for (const key in copy) {
    const v = copy[key];
    if (isFixed(v)) {
      fixedMembers.push(v);
      copy[key] = MARK;
    }
  }
  const json = JSON.stringify(copy);
  const marks: number[] = [];
  for (let at = json.indexOf(MARK_JSON); at >= 0; at = json.indexOf(MARK_JSON, at + MARK_JSON.length)) marks.push(at);
  if (marks.length !== fixedMembers.length) return addItemByMember(item, out);
  let from = 0;
  fixedMembers.forEach((member, i) => {
    out.add(json.slice(from, marks[i]));
    out.addFixed(member);
    from = marks[i]! + MARK_JSON.length;
  });
  out.add(json.slice(from));
}

/** An object member by member, each value written by `member`. */
function addMembers(obj: Record<string, unknown>, out: Out, member: (v: unknown) => void): void {
  let first = true;
  out.add('{');
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (omitted(v)) continue;
    out.add(`${first ? '' : ','}${jsonKey(key)}:`);
    first = false;
    member(v);
  }
  out.add('}');
}

/** The same as addItem, member by member: for an item whose own text holds the mark. */
function addItemByMember(item: Record<string, unknown>, out: Out): void {
  addMembers(item, out, (v) => (isFixed(v) ? out.addFixed(v) : out.add(JSON.stringify(v))));
}

function addList(list: unknown[], out: Out): void {
  if (!list.some(holdsFixed)) return out.add(JSON.stringify(list));
  out.add('[');
  list.forEach((item, i) => {
    if (i) out.add(',');
    if (omitted(item)) out.add('null');
    else if (isFixed(item)) out.addFixed(item);
    else if (holdsFixed(item)) addItem(item, out);
    else out.add(JSON.stringify(item));
  });
  out.add(']');
}

export function jsonBytes(value: unknown): Buffer {
  const out = new Out();
  if (Array.isArray(value) && value.length > BIG_LIST) addList(value, out);
  else if (!isPlain(value)) out.add(JSON.stringify(value) ?? '');
  else addMembers(value, out, (v) => (Array.isArray(v) && v.length > BIG_LIST ? addList(v, out) : out.add(JSON.stringify(v))));
  return out.bytes();
}
