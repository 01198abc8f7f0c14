export * from './options.js';
export * from './provision.js';
export * from './ready.js';
export * from './destroy.js';
