/**
 * The emulated catalog: a few baremetalServers plans as /order/catalog/public/baremetalServers
 * describes them (prices in micro-cents, a monthly renew pricing and an installation fee per
 * commitment), the datacenters and OS templates an item can be configured with.
 */
export interface EmuPlan {
  planCode: string;
  invoiceName: string;
  cores: number;
  threads: number;
  memoryGb: number;
  diskGb: number;
  /** Monthly price without tax, EUR. */
  monthly: number;
  setupFee: number;
  datacenters: string[];
  /** Lead time (× the emulator's orderMs). */
  leadFactor: number;
}

export const PLANS: EmuPlan[] = [
  { planCode: '24ska01', invoiceName: 'KS-A | Intel i7-6700k', cores: 4, threads: 8, memoryGb: 32, diskGb: 2000, monthly: 14.99, setupFee: 0, datacenters: ['gra', 'rbx', 'bhs'], leadFactor: 0.5 },
  { planCode: '24rise01', invoiceName: 'RISE-1 | Intel Xeon-E 2386G', cores: 6, threads: 12, memoryGb: 32, diskGb: 1024, monthly: 59.99, setupFee: 0, datacenters: ['gra', 'rbx', 'sbg', 'bhs', 'waw'], leadFactor: 1 },
  { planCode: '24adv01', invoiceName: 'ADVANCE-1 | AMD EPYC 4244P', cores: 6, threads: 12, memoryGb: 32, diskGb: 1920, monthly: 81.99, setupFee: 0, datacenters: ['gra', 'rbx', 'bhs'], leadFactor: 2 },
];

/** Datacenter order value → the dedicated.Datacenter name and the region ("europe", "canada"). */
export const DATACENTERS: Record<string, { dc: string; region: string; ovhRegion: string }> = {
  gra: { dc: 'gra3', region: 'europe', ovhRegion: 'eu-west-gra' },
  rbx: { dc: 'rbx8', region: 'europe', ovhRegion: 'eu-west-rbx' },
  sbg: { dc: 'sbg5', region: 'europe', ovhRegion: 'eu-west-sbg' },
  waw: { dc: 'waw1', region: 'europe', ovhRegion: 'eu-central-waw' },
  bhs: { dc: 'bhs8', region: 'canada', ovhRegion: 'ca-east-bhs' },
};

export const OS_TEMPLATES = ['none_64.en', 'debian12_64', 'ubuntu2404-server_64', 'ubuntu2204-server_64', 'rocky9_64'];

export const SUBSIDIARIES: Record<string, string> = { FR: 'EUR', DE: 'EUR', GB: 'GBP', IE: 'EUR', ES: 'EUR', CA: 'CAD', US: 'USD', WE: 'USD' };

export const planByCode = (code: string): EmuPlan | undefined => PLANS.find((p) => p.planCode === code || `${p.planCode}-us` === code);
