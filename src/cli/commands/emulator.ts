import { defineCommand } from '../define.js';

export default defineCommand({
  name: 'emulator',
  description: 'serve the emulated provider APIs on loopback until interrupted',
  options: [
    { flags: '--providers <list>', description: 'comma-separated (default: every emulated provider)' },
    { flags: '--base-port <port>', description: 'first port; the n-th provider gets base+n (default: free ports)', number: true },
    { flags: '--time-scale <n>', description: 'emulated seconds per real second (1000: a 40 s boot takes 40 ms)', number: true, default: 1 },
    { flags: '--faults <spec>', description: 'e.g. 5xx=0.1,429=0.05,reset=0.02,capacity=hetzner:fsn1:cx22' },
    { flags: '--seed <n>', description: 'seed of the fault injection', number: true },
    { flags: '--json', description: 'print {provider: url} as JSON' },
  ],
  handler: async (ctx, args) => (await import('../run/emulator.js')).run(ctx, args),
});
