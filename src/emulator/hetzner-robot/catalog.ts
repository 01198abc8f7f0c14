/**
 * The emulated order shelves: standard products (GET /order/server/product) with a net monthly
 * price and setup fee per location, and a few server-market (auction) servers with fixed
 * datacenters. Prices are Hetzner's public net list prices (EUR) of the bundled catalog.
 */
export interface EmuProduct {
  id: string;
  name: string;
  description: string[];
  traffic: string;
  locations: string[];
  monthly: number;
  setup: number;
}

export interface EmuMarketProduct {
  id: number;
  name: string;
  description: string[];
  cpu: string;
  memory_size: number;
  hdd_size: number;
  datacenter: string;
  price: number;
  price_setup: number;
}

export const DISTS = ['Rescue system', 'Debian 12 base', 'Ubuntu 22.04.2 LTS base', 'Ubuntu 24.04 LTS base', 'Rocky Linux 9 base'];
export const LANGS = ['en'];

const ALL = ['FSN1', 'NBG1', 'HEL1'];

export const PRODUCTS: EmuProduct[] = [
  { id: 'EX44', name: 'Dedicated Server EX44', description: ['Intel Core i5-13500', '14 cores / 20 threads', '64 GB DDR4 RAM', '2 x 512 GB NVMe SSD'], traffic: 'unlimited', locations: ALL, monthly: 44, setup: 39 },
  { id: 'AX42', name: 'Dedicated Server AX42', description: ['AMD Ryzen 7 PRO 8700GE', '8 cores / 16 threads', '64 GB DDR5 ECC RAM', '2 x 512 GB NVMe SSD'], traffic: 'unlimited', locations: ALL, monthly: 46, setup: 39 },
  { id: 'AX52', name: 'Dedicated Server AX52', description: ['AMD Ryzen 7 7700', '8 cores / 16 threads', '64 GB DDR5 RAM', '2 x 1 TB NVMe SSD'], traffic: 'unlimited', locations: ALL, monthly: 59, setup: 39 },
  { id: 'AX102', name: 'Dedicated Server AX102', description: ['AMD Ryzen 9 7950X3D', '16 cores / 32 threads', '128 GB DDR5 ECC RAM', '2 x 1.92 TB NVMe SSD'], traffic: 'unlimited', locations: ALL, monthly: 104, setup: 39 },
  { id: 'GEX44', name: 'Dedicated GPU Server GEX44', description: ['Intel Core i5-13500', '14 cores / 20 threads', '64 GB DDR4 RAM', '2 x 1.92 TB NVMe SSD', 'NVIDIA RTX 4000 SFF Ada Generation 20 GB'], traffic: 'unlimited', locations: ['FSN1'], monthly: 184, setup: 79 },
];

export const MARKET: EmuMarketProduct[] = [
  { id: 2381004, name: 'SB', description: ['Intel Core i7-6700', '4 cores / 8 threads', '64 GB DDR4 RAM', '2 x 512 GB SSD'], cpu: 'Intel Core i7-6700', memory_size: 64, hdd_size: 512, datacenter: 'FSN1-DC14', price: 37.8, price_setup: 0 },
  { id: 2391877, name: 'SB', description: ['AMD Ryzen 5 3600', '6 cores / 12 threads', '64 GB DDR4 RAM', '2 x 512 GB NVMe SSD'], cpu: 'AMD Ryzen 5 3600', memory_size: 64, hdd_size: 512, datacenter: 'HEL1-DC2', price: 39.5, price_setup: 0 },
];

const money = (n: number) => ({ net: n.toFixed(4), gross: (n * 1.19).toFixed(4) });

/** GET /order/server/product's element. */
export function productJson(p: EmuProduct) {
  return {
    product: {
      id: p.id,
      name: p.name,
      description: p.description,
      traffic: p.traffic,
      dist: DISTS,
      lang: LANGS,
      location: p.locations,
      prices: p.locations.map((location) => ({ location, price: money(p.monthly), price_setup: money(p.setup) })),
      orderable_addons: [],
    },
  };
}

/** GET /order/server_market/product's element. */
export function marketJson(p: EmuMarketProduct) {
  return {
    product: {
      id: p.id,
      name: p.name,
      description: p.description,
      traffic: 'unlimited',
      dist: DISTS,
      lang: LANGS,
      cpu: p.cpu,
      cpu_benchmark: null,
      memory_size: p.memory_size,
      hdd_size: p.hdd_size,
      hdd_text: '',
      hdd_count: 2,
      datacenter: p.datacenter,
      network_speed: '1 Gbit/s',
      price: p.price.toFixed(4),
      price_setup: p.price_setup.toFixed(4),
      fixed_price: false,
      next_reduce: 3600,
      next_reduce_date: null,
      orderable_addons: [],
    },
  };
}
