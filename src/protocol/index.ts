export * from './keys.js';
export * from './signing.js';
export * from './delegation.js';
export * from './sealed-credentials.js';
export * from './client.js';
export type * from './api.js';
export { CONTRACT_STATUSES } from './api.js';
