/** `ferry emulator`: serves the emulated provider APIs until SIGINT or SIGTERM. */
import { endpointEnvOf, UserError } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { printJson } from '../output.js';

export async function run(ctx: Context, args: Args): Promise<number> {
  const { startEmulator, emulatedProviders, parseFaultSpec } = await import('../../emulator/index.js');
  const known = emulatedProviders();
  const providers = typeof args.providers === 'string' ? args.providers.split(',').map((s) => s.trim()).filter(Boolean) : known;
  const unknown = providers.filter((p) => !known.includes(p));
  if (unknown.length) throw new UserError(`no emulator for ${unknown.join(', ')}`, `emulated: ${known.join(', ')}`);
  let faults;
  try {
    faults = typeof args.faults === 'string' ? parseFaultSpec(args.faults) : undefined;
  } catch (err) {
    throw new UserError(`--faults: ${(err as Error).message}`);
  }
  const timeScale = typeof args.timeScale === 'number' ? args.timeScale : 1;
  if (!(timeScale > 0)) throw new UserError('--time-scale must be positive');
  const basePort = typeof args.basePort === 'number' ? args.basePort : undefined;
  if (basePort !== undefined && !(Number.isInteger(basePort) && basePort >= 1 && basePort + providers.length - 1 <= 65535)) {
    throw new UserError(`--base-port must be a port from 1 to ${65536 - providers.length} (${providers.length} APIs listen on consecutive ports)`);
  }
  const emu = await startEmulator({
    providers,
    timeScale,
    ...(basePort !== undefined ? { basePort } : {}),
    ...(faults ? { faults } : {}),
    ...(typeof args.seed === 'number' ? { seed: args.seed } : {}),
  }).catch((err: NodeJS.ErrnoException & { port?: number }) => {
    if (err.code === 'EADDRINUSE') throw new UserError(`port ${err.port ?? basePort} is already in use: pick another --base-port`, 'or leave --base-port out and the emulator picks free ports');
    if (err.code === 'EACCES') throw new UserError(`port ${err.port ?? basePort} needs privileges: pick a --base-port above 1023`);
    throw err;
  });
  if (args.json) {
    // An API that checks credentials shows the ones it accepts; elsewhere any token will do.
    // `ssh`: where the live map of emulated server IPs to loopback SSH ports is (every API answers it).
    const first = Object.values(emu.urls)[0];
    printJson(ctx, { ...Object.fromEntries(Object.entries(emu.urls).map(([p, url]) => [p, emu.credentials[p] ? { url, credentials: emu.credentials[p] } : url])), ...(first ? { ssh: `${first}/__emulator/ssh` } : {}) });
  } else {
    for (const [p, url] of Object.entries(emu.urls)) ctx.stdout.write(`${p.padEnd(13)} ${url}\n`);
    const registry = await ctx.registry();
    const exports = Object.entries(emu.urls).map(([p, url]) => {
      const d = registry.descriptor(p);
      const accepted = emu.credentials[p] ?? {};
      const required = d.credentials.filter((f) => f.required).map((f) => `${f.env}=${accepted[f.env] ?? f.example ?? 'anything'}`);
      return `  export ${endpointEnvOf(d)}=${url} ${required.join(' ')}`;
    });
    const scale = timeScale !== 1 ? [`  export FERRY_TIME_SCALE=${timeScale}`] : [];
    ctx.stderr.write(['', 'point ferry at it (any token not starting with "invalid" is accepted):', ...exports, ...scale, 'Ctrl-C stops it.', ''].join('\n'));
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.close();
  return 0;
}
