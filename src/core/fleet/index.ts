export * from './provision.js';
export * from './ready.js';
