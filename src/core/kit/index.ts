/** What every driver needs and core owns, so no driver writes it again. */
export * from './status.js';
export * from './resources.js';
export * from './ttl-cache.js';
export * from './ssh-keys.js';
export * from './concurrency.js';
export * from './order.js';
export * from './tags.js';
export * from './bare-metal.js';
