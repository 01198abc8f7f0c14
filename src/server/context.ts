/** What every route handler may use. Nothing here is state that replicas would need to share. */
import type { Db } from '../store/db.js';
import type { Dispatcher } from './dispatch.js';
import type { Quotas } from './limits.js';
import type { OperatorAuth } from './operator-auth.js';

export interface ServerDeps {
  db: Db;
  /** Unix milliseconds; injectable for tests. */
  now(): number;
  dispatcher: Dispatcher;
  /** Upper bound on ?wait= seconds for the long-poll. */
  maxWaitSeconds: number;
  operator: OperatorAuth;
  /** Base URL printed in notifications and the dashboard. */
  publicUrl(): string;
  /** Per-key quotas and rate limits. */
  quotas: Quotas;
}
