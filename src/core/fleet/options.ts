/** What a fleet is asked and what it answers (apart, so provisioning and the readiness wait share them). */
import { newCreateId } from '../labels.js';
import type { BatchCreateService } from '../services.js';
import type { Instance, InstanceRequest, OperationOptions } from '../types.js';

/** Label that ties a fleet's instances together, so one filtered listing sees them all. */
export const FLEET_KEY = 'ferry-fleet';

/** A new fleet's id: short, and a valid label value and tag on every provider. */
export function newFleetId(): string {
  return newCreateId().slice(0, 8);
}

export interface FleetOptions extends OperationOptions {
  /** Client-side clock (tests inject one). */
  now?: () => number;
  /** Jitter source of the waits after a 429 (tests inject one). */
  random?: () => number;
  /**
   * Creates in flight at once; the account's rate budget paces them. Default 8 single creates, or
   * 32 batch calls: a batch call carries up to ten servers, so a fleet makes few of them, and their
   * round trips, not the budget, would bound it (1,000 droplets: 100 calls).
   */
  concurrency?: number;
  /** false: one create per server even where the provider has a batch API. */
  batch?: boolean;
  /** A batch service of the caller's choosing (a driver's, with another batch size); default the provider's own. */
  batches?: BatchCreateService;
  /**
   * Called once before the first create is sent, with every request as it will be sent: its fleet
   * label and the create id its server will carry. Journal them here: a crash after a send leaves
   * nothing a lookup by create id cannot find.
   */
  beforeSend?: (planned: readonly (InstanceRequest & { createId: string })[]) => Promise<void>;
  /** false: return once every create is answered, without waiting for the fleet to boot (`ready` is then empty). */
  wait?: boolean;
  /** The fleet these servers join (newFleetId): one fleet made by several calls, on several offers. Default a new one. */
  fleetId?: string;
}

export interface FleetResult {
  /** Every instance the creates made, as they answered. */
  created: Instance[];
  /** The created instances once active with an address (all of them, unless `wait` was false). */
  ready: Instance[];
  /** Requests as sent (with the fleet label and their create id) that made no server. */
  failed: { request: InstanceRequest; error: unknown }[];
}
