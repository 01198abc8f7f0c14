import { validateConstraints, type OfferConstraints } from '../catalog/index.js';
import { UserError } from '../core/index.js';
import type { Args } from './define.js';

/** The shared filter flags (OFFER_FILTERS) as catalog constraints, checked before any network call. */
export function constraintsFrom(args: Args): OfferConstraints {
  const c: OfferConstraints = {};
  if (typeof args.minCpu === 'number') c.minCpu = args.minCpu;
  if (typeof args.minMemory === 'number') c.minMemoryGb = args.minMemory;
  if (args.gpu === true) c.gpu = true;
  else if (typeof args.gpu === 'string') c.gpu = args.gpu;
  if (typeof args.budget === 'number') c.maxHourly = args.budget;
  if (typeof args.hours === 'number') c.hours = args.hours;
  if (args.maxLeadTime !== undefined) c.maxLeadTimeHours = parseHours(String(args.maxLeadTime), '--max-lead-time');
  if (args.arch !== undefined) c.arch = String(args.arch).toLowerCase() as OfferConstraints['arch'];
  if (typeof args.currency === 'string') c.currency = args.currency.toUpperCase();
  const regions = args.region as string[] | undefined;
  if (regions?.length) c.regions = regions;
  const providers = args.provider as string[] | undefined;
  if (providers?.length) c.providers = providers;
  validateConstraints(c);
  return c;
}

/** "90m", "1h", "1.5h", "2d" or a bare number of hours → hours; anything else names the flag. */
export function parseHours(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d)?\s*$/i.exec(text);
  if (!m) throw new UserError(`${flag} must be a duration such as 30m, 1h or 2d, got "${text}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'h').toLowerCase();
  return unit === 'd' ? n * 24 : unit.startsWith('m') ? n / 60 : n;
}

/** Whether any placement filter was given. */
export function hasConstraints(c: OfferConstraints): boolean {
  return Object.keys(c).length > 0;
}
