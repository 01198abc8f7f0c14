/**
 * Linode's X-Filter header: {"field": value} equality (dotted fields reach into objects; on a list
 * field, equality means "contains"), "+and"/"+or" lists, operator objects (+gt, +gte, +lt, +lte,
 * +neq, +contains), and "+order_by"/"+order" sorting.
 */
type Json = Record<string, unknown>;

function valueAt(item: unknown, field: string): unknown {
  return field.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), item);
}

function matchesValue(actual: unknown, want: unknown): boolean {
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    return Object.entries(want as Json).every(([op, v]) => {
      const a = typeof actual === 'string' && typeof v === 'number' ? Date.parse(actual) / 1000 : actual;
      switch (op) {
        case '+gt': return (a as number) > (v as number);
        case '+gte': return (a as number) >= (v as number);
        case '+lt': return (a as number) < (v as number);
        case '+lte': return (a as number) <= (v as number);
        case '+neq': return actual !== v;
        case '+contains': return typeof actual === 'string' && actual.includes(String(v));
        default: return false;
      }
    });
  }
  if (Array.isArray(actual)) return actual.some((x) => x === want);
  // Ids may be compared as strings or numbers.
  return actual === want || (actual !== null && actual !== undefined && String(actual) === String(want));
}

export function matches(item: unknown, filter: Json): boolean {
  return Object.entries(filter).every(([k, v]) => {
    if (k === '+order_by' || k === '+order') return true;
    if (k === '+and') return Array.isArray(v) && v.every((f) => matches(item, f as Json));
    if (k === '+or') return Array.isArray(v) && v.some((f) => matches(item, f as Json));
    return matchesValue(valueAt(item, k), v);
  });
}

/** The parsed header, or a message saying why it is not valid. */
export function parseFilter(header: string | string[] | undefined): Json | string {
  if (header === undefined) return {};
  const text = Array.isArray(header) ? header[0] ?? '' : header;
  try {
    const f = JSON.parse(text) as unknown;
    if (!f || typeof f !== 'object' || Array.isArray(f)) return 'X-Filter must be a JSON object';
    return f as Json;
  } catch {
    return 'X-Filter is not valid JSON';
  }
}

export function applyFilter<T>(items: T[], filter: Json): T[] {
  const out = items.filter((i) => matches(i, filter));
  const by = filter['+order_by'];
  if (typeof by === 'string') {
    const dir = filter['+order'] === 'desc' ? -1 : 1;
    out.sort((a, b) => {
      const x = valueAt(a, by) as string | number;
      const y = valueAt(b, by) as string | number;
      return x < y ? -dir : x > y ? dir : 0;
    });
  }
  return out;
}
