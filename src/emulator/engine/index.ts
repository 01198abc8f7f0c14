export * from './types.js';
export * from './router.js';
export * from './clock.js';
export * from './faults.js';
export * from './rate-limiter.js';
export * from './server.js';
export * from './scheduler.js';
export * from './paginate.js';
