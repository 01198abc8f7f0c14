export * from './errors.js';
export * from './types.js';
export * from './labels.js';
export * from './capabilities.js';
export * from './timeouts.js';
export * from './pagination.js';
export * from './provider.js';
export * from './registry.js';
