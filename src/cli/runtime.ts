/**
 * What commands that reach a provider or the store load on first use, as one module: the registry,
 * credentials, opening a driver, the store and the provider clock. Apart, each was a lazily loaded
 * piece of its own, and the bundle cut the code they share into a dozen small chunks; Node 20 pays
 * about half a millisecond for each module it loads.
 */
export { withDefaults } from '../providers/registry.js';
export { loadCredentials } from './credentials.js';
export { openProvider, scopeOf } from './providers.js';
export { recordsNow, saveReading } from './provider-clock.js';
export { openStore } from '../store/index.js';
