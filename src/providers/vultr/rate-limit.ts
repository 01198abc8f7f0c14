/**
 * Vultr documents one limit, 30 requests per second per API key, and sends no rate-limit headers:
 * every answer re-states that budget (a bucket of 30 refilled 30 a second, its level unknown: the
 * transport counts it locally), so requests are paced at 30 a second and a 429 backs off (Retry-After
 * when given, its own backoff otherwise).
 */
import type { RateLimitStyle } from '../../transport/index.js';

export const REQUESTS_PER_SECOND = 30;

export const vultrRateLimit: RateLimitStyle = () => ({ limit: REQUESTS_PER_SECOND, remaining: undefined, refillPerSecond: REQUESTS_PER_SECOND });
