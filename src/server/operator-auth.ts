/**
 * Dashboard sign-in for operators. The operator token comes from FERRY_OPERATOR_TOKEN (or the
 * startServer option); without one, a random token is generated and printed at start-up.
 * Signing in (constant-time comparison) sets a stateless session cookie — expiry plus an
 * HMAC keyed by the token — so every replica sharing the token accepts it with no session table.
 * Forms also carry a CSRF token (an HMAC of the session), and the cookie is HttpOnly + SameSite=Strict.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'ferry_operator';
const SESSION_MS = 12 * 60 * 60 * 1000;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares secrets without leaking where they differ (hashing first equalises the lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export class OperatorAuth {
  readonly generated: boolean;
  readonly token: string;

  constructor(token?: string) {
    this.generated = !token;
    this.token = token || randomBytes(24).toString('base64url');
  }

  checkToken(candidate: string): boolean {
    return constantTimeEqual(candidate, this.token);
  }

  private mac(purpose: string, value: string): string {
    return createHmac('sha256', this.token).update(`${purpose}:${value}`).digest('base64url');
  }

  newSession(nowMs: number, secure = false): { value: string; cookie: string } {
    const expires = nowMs + SESSION_MS;
    const value = `${expires}.${this.mac('session', String(expires))}`;
    const cookie = `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure ? '; Secure' : ''}`;
    return { value, cookie };
  }

  /** The session value from a Cookie header when it is authentic and unexpired. */
  session(cookieHeader: string | undefined, nowMs: number): string | null {
    const value = readCookie(cookieHeader, SESSION_COOKIE);
    if (!value) return null;
    const dot = value.indexOf('.');
    if (dot < 1) return null;
    const expires = Number(value.slice(0, dot));
    if (!Number.isFinite(expires) || expires < nowMs) return null;
    return constantTimeEqual(value.slice(dot + 1), this.mac('session', String(expires))) ? value : null;
  }

  csrfToken(session: string): string {
    return this.mac('csrf', session);
  }

  checkCsrf(session: string, candidate: string): boolean {
    return constantTimeEqual(candidate, this.csrfToken(session));
  }
}

/** The session's expiry (Unix ms) from its value. */
export function sessionExpiry(session: string): number {
  return Number(session.slice(0, session.indexOf('.')));
}

/** What the revocation table keys on: a hash, so the table never holds a usable session. */
export function sessionHash(session: string): string {
  return createHash('sha256').update(session).digest('hex');
}

/**
 * Failed sign-ins per client address in a sliding minute: past the limit the address is told to
 * wait (429 + Retry-After) and its guesses are not even checked. Per replica, which bounds the
 * guess rate by replicas × limit.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly perMinute: number) {}

  /** Milliseconds until this client may try again, or 0. */
  blockedFor(client: string, now: number): number {
    const recent = this.recent(client, now);
    return recent.length >= this.perMinute ? Math.max(1000, recent[0]! + 60_000 - now) : 0;
  }

  fail(client: string, now: number): void {
    const recent = this.recent(client, now);
    recent.push(now);
    this.failures.set(client, recent);
    // Bound the table itself: an address spray cannot grow it without limit.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(client: string, now: number): number[] {
    return (this.failures.get(client) ?? []).filter((t) => t > now - 60_000);
  }
}

export const clearedSessionCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
