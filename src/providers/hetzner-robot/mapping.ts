/**
 * Pure converters from Robot's wire shapes to ferry's. Robot has no tags: ferry's identity is
 * written as text, `<name> k=v k=v …` (the labels include managed-by=ferry and ferry-create-id),
 * in the order's comment and, once the server is delivered, in its server_name. The instance id
 * is the order's transaction id (`B20150121-344958-251479`) for as long as Robot lists the
 * transaction (30 days), so one order keeps one id from order to delivery; a server seen without
 * its transaction is known by its server number.
 */
import { statusTable, type Instance, type Region, type Size } from '../../core/index.js';
import { PROVIDER } from './client.js';
import type { RobotProduct, RobotServer, RobotTransaction } from './schema.js';

export const isTransactionId = (id: string) => /^B\d{8}-\d{1,12}-\d{1,12}$/.test(id);
export const isServerNumber = (id: string) => /^[1-9]\d{0,11}$/.test(id);

/** `<name> k=v …`: what ferry writes in the order comment and the server name. */
export function encodeIdentity(name: string, labels: Record<string, string>): string {
  return [name, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)].join(' ');
}

/** The name and labels written by encodeIdentity; any other text is a name without labels. */
export function decodeIdentity(text: string | null | undefined): { name: string; labels: Record<string, string> } {
  const words = (text ?? '').trim().split(/\s+/).filter(Boolean);
  const labels: Record<string, string> = {};
  for (const w of words.slice(1)) {
    const at = w.indexOf('=');
    if (at <= 0) return { name: (text ?? '').trim(), labels: {} };
    labels[w.slice(0, at)] = w.slice(at + 1);
  }
  return { name: words[0] ?? '', labels };
}

/** Robot's words for a server and an order → ferry's states (unknown words read as unknown). */
export const serverStatus = statusTable({ ready: 'active', 'in process': 'new', installing: 'new', cancelled: 'archive' });

/** The instance of an order and, once delivered, its server. */
export function toInstance(tx: RobotTransaction | null, server: RobotServer | null): Instance {
  const fromName = decodeIdentity(server?.server_name);
  const fromOrder = decodeIdentity(tx?.comment);
  const who = fromName.labels['ferry-create-id'] || !fromOrder.name ? fromName : fromOrder;
  const id = tx?.id ?? String(server?.server_number ?? '');
  // An order still in process reads as new; a delivered one as its server does.
  const status = server ? serverStatus(server.cancelled ? 'cancelled' : server.status) : serverStatus(tx?.status === 'ready' ? 'in process' : tx?.status);
  return {
    provider: PROVIDER,
    id,
    name: who.name || (server?.server_name ?? ''),
    status,
    ipv4: server?.server_ip ?? null,
    ipv6: server?.server_ipv6_net ?? null,
    region: (server?.dc ?? tx?.product?.location ?? '').split('-')[0]!.toUpperCase(),
    size: String(tx?.product?.id ?? server?.product ?? ''),
    image: tx?.product?.dist ?? null,
    labels: who.labels,
    createdAt: tx?.date ? new Date(tx.date).toISOString() : new Date(0).toISOString(),
  };
}

export function net(v: string | null | undefined): number | null {
  const n = Number(v);
  return v !== undefined && v !== null && v !== '' && Number.isFinite(n) ? n : null;
}

/** A product's shape is only in its description lines ("8 x … cores", "64 GB DDR4 RAM", "2 x 512 GB NVMe SSD"). */
export function productToSize(p: RobotProduct): Size | null {
  if (p.id === undefined || p.id === null) return null;
  const text = (p.description ?? []).join('\n');
  // vCPUs are hardware threads where the description says, else cores.
  const cores = /(\d+)\s*threads?/i.exec(text) ?? /(\d+)\s*(?:x\s*)?cores?/i.exec(text) ?? /(\d+)-core/i.exec(text);
  const ram = /(\d+)\s*GB[^\n]*RAM/i.exec(text);
  let disk = 0;
  for (const m of text.matchAll(/(?:(\d+)\s*x\s*)?([\d.]+)\s*(GB|TB)[^\n]*(SSD|HDD|NVMe)/gi)) {
    disk += Number(m[1] ?? 1) * Number(m[2]) * (m[3]!.toUpperCase() === 'TB' ? 1000 : 1);
  }
  const monthly = (p.prices ?? []).map((x) => net(x.price?.net)).filter((n): n is number => n !== null);
  return {
    id: String(p.id),
    vcpus: cores ? Number(cores[1]) : 0,
    memoryGb: ram ? Number(ram[1]) : 0,
    diskGb: disk,
    gpu: null,
    gpuCount: 0,
    regions: (p.prices ?? []).map((x) => x.location ?? '').filter(Boolean),
    priceHourly: null,
    priceMonthly: monthly.length ? Math.min(...monthly) : null,
    currency: 'EUR',
  };
}

export function locationsOf(products: RobotProduct[]): Region[] {
  const ids = new Set(products.flatMap((p) => p.location ?? []));
  return [...ids].sort().map((id) => ({ id, name: id, available: true }));
}
