/**
 * Wire types of the Hetzner Robot webservice, as documented at
 * https://robot.hetzner.com/doc/webservice/en.html (base https://robot-ws.your-server.de, HTTP basic
 * auth, form-encoded request bodies, JSON answers where every object is wrapped in its kind:
 * `{"server": {...}}`, `[{"transaction": {...}}]`). Every field is optional here: readers are tolerant.
 */

export interface RobotServer {
  server_ip?: string | null;
  server_ipv6_net?: string | null;
  server_number?: number;
  server_name?: string | null;
  product?: string | null;
  dc?: string | null;
  traffic?: string | null;
  /** "ready" or "in process". */
  status?: string | null;
  cancelled?: boolean | null;
  paid_until?: string | null;
  ip?: string[] | null;
}

export interface RobotKeyRef {
  key?: { name?: string | null; fingerprint?: string | null; type?: string | null; size?: number | null };
}

export interface RobotTransaction {
  /** e.g. "B20150121-344958-251479". */
  id?: string;
  date?: string | null;
  /** "ready", "in process" or "cancelled". */
  status?: string | null;
  server_number?: number | null;
  server_ip?: string | null;
  authorized_key?: RobotKeyRef[] | null;
  comment?: string | null;
  product?: { id?: string | number | null; name?: string | null; location?: string | null; dist?: string | null; lang?: string | null } | null;
}

export interface RobotPrice {
  location?: string | null;
  price?: { net?: string | null; gross?: string | null } | null;
  price_setup?: { net?: string | null; gross?: string | null } | null;
}

export interface RobotProduct {
  id?: string | number;
  name?: string | null;
  description?: string[] | null;
  traffic?: string | null;
  dist?: string[] | null;
  lang?: string[] | null;
  location?: string[] | null;
  prices?: RobotPrice[] | null;
}

export interface RobotRescue {
  server_ip?: string | null;
  server_number?: number;
  os?: string | string[] | null;
  active?: boolean | null;
  password?: string | null;
}

export interface RobotCancellation {
  server_number?: number;
  earliest_cancellation_date?: string | null;
  cancelled?: boolean | null;
  cancellation_date?: string | null;
  cancellation_reason?: string | string[] | null;
}

export interface RobotKey {
  name?: string | null;
  fingerprint?: string | null;
  type?: string | null;
  data?: string | null;
}

export interface RobotErrorBody {
  error?: { status?: number; code?: string; message?: string; max_request?: number; interval?: number; missing?: unknown; invalid?: unknown };
}
