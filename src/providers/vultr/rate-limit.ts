/**
 * Vultr documents one limit, 30 requests per second per API key, and sends no rate-limit headers:
 * every answer re-states that budget, so the transport paces requests locally at 30 a second and
 * backs off on a 429 (Retry-After when given, its own backoff otherwise).
 */
import type { RateLimitStyle } from '../../transport/index.js';

export const REQUESTS_PER_SECOND = 30;

export const vultrRateLimit: RateLimitStyle = () => ({ limit: REQUESTS_PER_SECOND, remaining: REQUESTS_PER_SECOND, refillPerSecond: REQUESTS_PER_SECOND });
