import { defineCommand } from '../define.js';

export default defineCommand({
  name: 'demo',
  description: 'the whole flow on the built-in emulator: place, deploy, list, costs, destroy (no account needed)',
  options: [
    { flags: '--time-scale <n>', description: 'emulator speed (default 200: a 40 s boot takes 0.2 s)', number: true, default: 200 },
    { flags: '--faults <spec>', description: 'fault injection for the emulator (default: no capacity on the cheapest offer)' },
    { flags: '--keep-state', description: 'keep the demo\'s store (in $XDG_DATA_HOME/ferry/demo, apart from the real one) instead of a temporary one' },
  ],
  handler: async (ctx, args) => (await import('../run/demo.js')).run(ctx, args),
});
