/**
 * The inventory as CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) for
 * `ferry inventory export --csv` and `import`. Labels travel as one JSON column so any key
 * survives the round trip; times are ISO 8601 UTC; an empty cell is null.
 */
import type { InventoryRecord } from './inventory.js';

export const INVENTORY_CSV_COLUMNS = [
  'provider',
  'instance_id',
  'name',
  'region',
  'size',
  'image',
  'labels',
  'price_hourly',
  'price_monthly',
  'currency',
  'create_id',
  'created_at',
  'deleted_at',
  'last_seen_status',
  'ipv4',
  'ipv6',
] as const;

function field(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet; a quote prefix keeps it text.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function inventoryToCsv(rows: readonly InventoryRecord[]): string {
  const lines = [INVENTORY_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.provider, r.instanceId, r.name, r.region, r.size, r.image, JSON.stringify(r.labels), r.priceHourly, r.priceMonthly, r.currency, r.createId, r.createdAt, r.deletedAt, r.lastSeenStatus, r.ipv4, r.ipv6]
        .map(field)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Rows of cells; throws on an unterminated quote with the line it started on. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      line++;
    } else cell += c;
  }
  if (quoted) throw new Error(`unterminated quote starting on line ${quoteLine}`);
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** One CSV data row as an inventory record; a problem is returned as text, per row, never thrown. */
export function recordFromCsv(header: readonly string[], cells: readonly string[]): InventoryRecord | string {
  const get = (col: (typeof INVENTORY_CSV_COLUMNS)[number]) => {
    const i = header.indexOf(col);
    const v = i < 0 ? '' : (cells[i] ?? '');
    return v === '' ? null : v.startsWith("'") && /^'[=+\-@]/.test(v) ? v.slice(1) : v;
  };
  for (const col of ['provider', 'instance_id', 'name', 'region', 'size'] as const) if (!get(col)) return `${col} is empty`;
  const num = (col: 'price_hourly' | 'price_monthly') => {
    const v = get(col);
    if (v === null) return null;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : `${col} "${v}" is not a price`;
  };
  const hourly = num('price_hourly');
  const monthly = num('price_monthly');
  if (typeof hourly === 'string') return hourly;
  if (typeof monthly === 'string') return monthly;
  let labels: Record<string, string> = {};
  const rawLabels = get('labels');
  if (rawLabels) {
    try {
      const parsed = JSON.parse(rawLabels) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) return 'labels must be a JSON object of strings';
      labels = parsed as Record<string, string>;
    } catch {
      return 'labels is not JSON';
    }
  }
  const time = (col: 'created_at' | 'deleted_at') => {
    const v = get(col);
    if (v === null) return null;
    return Number.isNaN(Date.parse(v)) ? `${col} "${v}" is not a time` : new Date(v).toISOString();
  };
  const created = time('created_at');
  const deleted = time('deleted_at');
  if (created === null) return 'created_at is empty';
  if (created.endsWith('time') || (deleted && deleted.endsWith('time'))) return (created.endsWith('time') ? created : deleted)!;
  return {
    provider: get('provider')!,
    instanceId: get('instance_id')!,
    name: get('name')!,
    labels,
    region: get('region')!,
    size: get('size')!,
    image: get('image'),
    priceHourly: hourly,
    priceMonthly: monthly,
    currency: get('currency'),
    createId: get('create_id'),
    createdAt: created,
    lastSeenStatus: get('last_seen_status'),
    lastSeenAt: null,
    ipv4: get('ipv4'),
    ipv6: get('ipv6'),
    deletedAt: deleted,
  };
}

/** Any table as CSV, with the same quoting and formula guard as the inventory export. */
export function toCsv(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [headers.join(','), ...rows.map((r) => r.map(field).join(','))].join('\n') + '\n';
}
