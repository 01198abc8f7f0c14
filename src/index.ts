/**
 * ferry as a library: the Provider contract and its drivers, the catalog and placement,
 * the store, the emulator. The CLI, agent and control plane are built on these.
 */
export * from './core/index.js';
export { withDefaults, DEFAULT_PROVIDERS } from './providers/registry.js';
export { HttpClient, rateLimitStyles, RateBudget } from './transport/index.js';
export * as catalog from './catalog/index.js';
export { openStore, openDb } from './store/index.js';
export { startEmulator, parseFaultSpec, emulatedProviders, type Emulator, type EmulatorOptions } from './emulator/index.js';
