/**
 * The emulated Hivelocity store: instant bare-metal products with prices, stock per facility,
 * operating-system options and facilities, in the wire shapes of /inventory/product (Stock),
 * /inventory/locations (Location) and /product/{id}/operating-systems (Option-dump).
 * Lead times are emulated durations: a multiple of the engine's boot time, so a time-scaled
 * run orders in minutes-to-hours of emulated time and milliseconds of real time.
 */
export type StockLevel = 'available' | 'limited' | 'unavailable';

export interface EmuProduct {
  id: number;
  name: string;
  /** The store listing it appears in (MAIN or GPU). */
  store: 'MAIN' | 'GPU';
  cpu: string;
  cores: number;
  threads: number;
  memory: string;
  drive: string;
  gpu: string | null;
  bandwidth: string;
  monthly: number;
  hourly: number;
  /** Order → hardware assigned, in multiples of ctx.config.bootMs. */
  leadFactor: number;
  stock: Record<string, StockLevel>;
}

export interface EmuFacility {
  id: number;
  code: string;
  title: string;
  city: string;
  state: string;
}

export const FACILITIES: readonly EmuFacility[] = [
  { id: 1, code: 'TPA1', title: 'Tampa 1', city: 'Tampa', state: 'FL' },
  { id: 2, code: 'ATL2', title: 'Atlanta 2', city: 'Atlanta', state: 'GA' },
  { id: 3, code: 'LAX2', title: 'Los Angeles 2', city: 'Los Angeles', state: 'CA' },
  { id: 4, code: 'NYC1', title: 'New York 1', city: 'New York', state: 'NY' },
  { id: 5, code: 'MIA1', title: 'Miami 1', city: 'Miami', state: 'FL' },
];

const everywhere = (level: StockLevel, except: Record<string, StockLevel> = {}): Record<string, StockLevel> =>
  Object.fromEntries(FACILITIES.map((f) => [f.code, except[f.code] ?? level]));

export const PRODUCTS: readonly EmuProduct[] = [
  {
    id: 525, name: 'E3-1230 v6', store: 'MAIN', cpu: 'Intel Xeon E3-1230 v6 3.5GHz', cores: 4, threads: 8,
    memory: '16GB DDR4', drive: '1 x 480GB SSD', gpu: null, bandwidth: '20TB / 1Gbps',
    monthly: 85, hourly: 0.12, leadFactor: 15, stock: everywhere('available', { MIA1: 'limited' }),
  },
  {
    id: 576, name: 'E-2356G', store: 'MAIN', cpu: 'Intel Xeon E-2356G 3.2GHz', cores: 6, threads: 12,
    memory: '32GB DDR4', drive: '2 x 960GB NVMe', gpu: null, bandwidth: '20TB / 1Gbps',
    monthly: 185, hourly: 0.26, leadFactor: 15, stock: everywhere('available', { LAX2: 'limited' }),
  },
  {
    id: 612, name: 'EPYC 7443P', store: 'MAIN', cpu: 'AMD EPYC 7443P 2.85GHz', cores: 24, threads: 48,
    memory: '128GB DDR4', drive: '2 x 1.92TB NVMe', gpu: null, bandwidth: '30TB / 10Gbps',
    monthly: 345, hourly: 0.48, leadFactor: 30, stock: everywhere('limited', { TPA1: 'available', NYC1: 'unavailable' }),
  },
  {
    id: 640, name: 'Ryzen 9 7950X RTX 4090', store: 'GPU', cpu: 'AMD Ryzen 9 7950X 4.5GHz', cores: 16, threads: 32,
    memory: '128GB DDR5', drive: '2 x 1.92TB NVMe', gpu: '1 x NVIDIA GeForce RTX 4090 24GB', bandwidth: '20TB / 1Gbps',
    monthly: 575, hourly: 0.8, leadFactor: 150, stock: everywhere('unavailable', { TPA1: 'limited', ATL2: 'limited', LAX2: 'available' }),
  },
];

export interface EmuOs {
  id: number;
  name: string;
  ipxe?: boolean;
}

/** Operating-system options; every product offers all of them, "Custom iPXE" included. */
export const OPERATING_SYSTEMS: readonly EmuOs[] = [
  { id: 18001, name: 'Ubuntu 24.04' },
  { id: 18002, name: 'Ubuntu 22.04' },
  { id: 18003, name: 'Debian 12' },
  { id: 18004, name: 'Rocky Linux 9' },
  { id: 18005, name: 'Custom iPXE', ipxe: true },
];

export function productById(id: number): EmuProduct | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

export function osByName(name: string): EmuOs | undefined {
  return OPERATING_SYSTEMS.find((o) => o.name.toLowerCase() === name.trim().toLowerCase());
}

/** One Stock row: a product in a facility, as /inventory/product lists it. */
export function stockRow(p: EmuProduct, facility: string): Record<string, unknown> {
  const f = FACILITIES.find((x) => x.code === facility);
  return {
    product_id: p.id,
    product_name: p.name,
    product_cpu: p.cpu,
    product_cpu_cores: `${p.cores} Cores<br>${p.threads} Threads`,
    processor_info: { cores: p.cores, threads: p.threads, sockets: 1, vcpus: p.threads },
    product_memory: p.memory,
    product_drive: p.drive,
    product_gpu: p.gpu ?? '',
    product_bandwidth: p.bandwidth,
    product_monthly_price: p.monthly,
    product_hourly_price: p.hourly,
    product_quarterly_price: round(p.monthly * 3),
    product_semi_annually_price: round(p.monthly * 6),
    product_annually_price: round(p.monthly * 12),
    product_biennial_price: round(p.monthly * 24),
    product_triennial_price: round(p.monthly * 36),
    product_original_price: p.monthly,
    product_on_sale: false,
    product_display_price: p.monthly,
    product_disabled_billing_periods: [],
    monthly_location_premium: 0,
    hourly_location_premium: 0,
    quarterly_location_premium: 0,
    semi_annually_location_premium: 0,
    annually_location_premium: 0,
    biennial_location_premium: 0,
    triennial_location_premium: 0,
    stock: p.stock[facility] ?? 'unavailable',
    data_center: facility,
    location_option_id: 7000 + (f?.id ?? 0),
    core: true,
    edge: false,
    is_sps: true,
    is_vps: false,
  };
}

export function locationRow(f: EmuFacility): Record<string, unknown> {
  return {
    id: f.id,
    code: f.code,
    title: f.title,
    location: { city: f.city, state: f.state, country: 'US' },
    core: true,
    edge: false,
    location_option_ids: [7000 + f.id],
  };
}

export function osRow(o: EmuOs): Record<string, unknown> {
  return {
    id: o.id,
    name: o.name,
    monthlyPrice: 0,
    currency: 'USD',
    tags: o.ipxe ? ['ipxe'] : [],
    expressions: [],
    operatingSystemFeatures: { sshKey: !o.ipxe, postInstall: !o.ipxe, cloudInit: !o.ipxe },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
