export * from './provision.js';
export * from './ready.js';
export * from './pool.js';
