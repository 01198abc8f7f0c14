/** SSH for ferry: readiness waits, the emulator's endpoints, known hosts, and `ferry ssh`'s hand-over. */
export * from './endpoints.js';
export * from './known-hosts.js';
export * from './waits.js';
export * from './handover.js';
