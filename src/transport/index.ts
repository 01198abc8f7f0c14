export * from './http-client.js';
export * from './node-fetch.js';
export * from './error-mapping.js';
export * from './rate-limit.js';
export * from './retry.js';
export * from './redact.js';
