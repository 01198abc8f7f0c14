/** `ferry doctor`: credentials per provider, endpoint reachable, credentials accepted, store writable. */
import { access, constants } from 'node:fs/promises';
import { ProviderError } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { printJson } from '../output.js';
import { implementedDescriptor } from '../providers.js';

type Status = 'ok' | 'fail' | 'skip';
interface Check {
  subject: string;
  check: string;
  status: Status;
  detail: string;
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const registry = await ctx.registry();
  const creds = await ctx.credentials();
  const asked = args.provider as string[] | undefined;
  if (asked) for (const p of asked) await implementedDescriptor(ctx, p);
  const checks: Check[] = [];
  const add = (subject: string, check: string, status: Status, detail: string) => checks.push({ subject, check, status, detail });

  for (const name of asked ?? registry.implementedProviders()) {
    const r = creds.resolve(name);
    if (r.missing.length) {
      add(name, 'credentials', asked ? 'fail' : 'skip', `not configured: ${r.missing.map((f) => f.env).join(', ')} unset (\`ferry config set-credentials ${name}\`)`);
      continue;
    }
    const from = [...new Set(Object.values(r.sources))].join(' + ');
    add(name, 'credentials', 'ok', `from ${from}${r.endpoint ? `; endpoint ${r.endpoint} (${r.endpointSource})` : ''}`);
    const endpoint = r.endpoint ?? r.values.url ?? r.descriptor.defaultEndpoint;
    // One call through the driver's own transport (its TLS settings, its auth): a network
    // failure means the endpoint is unreachable, any answer means it is there.
    try {
      const provider = await ctx.provider(name);
      await provider.validateCredentials();
      add(name, 'endpoint', 'ok', `${endpoint} answers`);
      add(name, 'authentication', 'ok', 'credentials accepted');
    } catch (err) {
      if (ProviderError.is(err, 'network') || ProviderError.is(err, 'timeout')) {
        add(name, 'endpoint', 'fail', `${endpoint} unreachable: ${err.message}`);
        continue;
      }
      add(name, 'endpoint', 'ok', `${endpoint} answers`);
      if (ProviderError.is(err, 'not_supported')) add(name, 'authentication', 'skip', 'the driver cannot check credentials on their own');
      else add(name, 'authentication', 'fail', ProviderError.is(err) ? `${err.kind}: ${err.message}` : (err as Error).message);
    }
  }

  try {
    const store = await ctx.store();
    await store.db.query('SELECT 1');
    const target = (await import('../../store/index.js')).resolveDatabase(undefined, ctx.env);
    if (target.dialect === 'sqlite') await access(target.path, constants.W_OK);
    add('store', 'writable', 'ok', target.dialect === 'sqlite' ? target.path : `postgres ${target.url.replace(/\/\/[^@]*@/, '//***@')}`);
  } catch (err) {
    add('store', 'writable', 'fail', (err as Error).message);
  }

  const failed = checks.filter((c) => c.status === 'fail').length;
  if (args.json) {
    printJson(ctx, { ok: failed === 0, checks });
  } else {
    const mark: Record<Status, string> = { ok: 'ok  ', fail: 'FAIL', skip: '--  ' };
    for (const c of checks) ctx.stdout.write(`${mark[c.status]} ${c.subject.padEnd(13)} ${c.check.padEnd(15)} ${c.detail}\n`);
    if (!checks.some((c) => c.check === 'credentials' && c.status === 'ok')) {
      ctx.stdout.write('\nno provider is configured: `ferry demo` shows ferry on the built-in emulator, `ferry providers` lists what each needs\n');
    }
  }
  return failed ? 1 : 0;
}
