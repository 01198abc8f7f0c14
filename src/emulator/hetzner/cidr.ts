/** IPv4 CIDR arithmetic for networks and subnets. */

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: unknown): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (addr % size !== 0) return undefined; // host bits set
  return { base: addr, prefix };
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  const size = 2 ** (32 - outer.prefix);
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base < outer.base + size;
}

/** RFC 1918 private ranges, the only ones Hetzner networks accept. */
export function isPrivate(c: Cidr): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((r) => contains(parseCidr(r)!, c));
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}
