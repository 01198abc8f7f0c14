/** `ferry providers`: the registry as a table or JSON; `--capabilities` loads the drivers for their matrix. */
import { endpointEnvOf, FEATURES, type Capabilities, type ProviderDescriptor } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { printJson, printTable } from '../output.js';

async function capabilitiesOf(d: ProviderDescriptor): Promise<Capabilities | null> {
  return d.load ? (await d.load()).capabilities : null;
}

export async function run(ctx: Context, args: Args): Promise<number> {
  const registry = await ctx.registry();
  const creds = await ctx.credentials();
  const descriptors = registry.descriptors();
  if (args.capabilities) return capabilities(ctx, args, descriptors);

  const rows = descriptors.map((d) => {
    const r = creds.resolve(d.name);
    return {
      name: d.name,
      title: d.title,
      kind: d.kind,
      implemented: Boolean(d.load) && !d.retired,
      configured: Boolean(d.load) && !d.retired && r.missing.length === 0,
      retired: d.retired ?? null,
      credentials: d.credentials.map((f) => ({ env: f.env, required: f.required, secret: f.secret, set: Boolean(r.values[f.key]), source: r.sources[f.key] ?? null })),
      endpointEnv: endpointEnvOf(d),
      endpoint: r.endpoint ?? d.defaultEndpoint,
      apiReference: d.apiReference,
    };
  });
  if (args.json) {
    printJson(ctx, rows);
    return 0;
  }
  printTable(
    ctx,
    ['provider', 'kind', 'status', 'credentials', 'endpoint'],
    rows.map((r) => [
      r.name,
      r.kind,
      r.retired ? `retired ${r.retired.date}` : !r.implemented ? 'planned' : r.configured ? 'ready' : 'no credentials',
      r.credentials.filter((c) => c.required).map((c) => `${c.env}${c.set ? ` (${c.source})` : ''}`).join(' '),
      r.implemented ? r.endpoint : '-',
    ]),
  );
  for (const r of rows) if (r.retired) ctx.stderr.write(`\n${r.name}: ${r.retired.alternatives}`);
  ctx.stderr.write('\n\nready: credentials found. Set the variables, or `ferry config set-credentials <provider>`. `ferry providers --capabilities` shows what each driver can do.\n');
  return 0;
}

async function capabilities(ctx: Context, args: Args, descriptors: ProviderDescriptor[]): Promise<number> {
  const implemented = descriptors.filter((d) => d.load);
  const tables = await Promise.all(implemented.map(capabilitiesOf));
  const matrix: Record<string, Record<string, { supported: boolean; note?: string; reason?: string }>> = {};
  implemented.forEach((d, i) => {
    const caps = tables[i];
    matrix[d.name] = Object.fromEntries(
      FEATURES.map((f) => {
        const c = caps?.[f];
        if (!c) return [f, { supported: false, reason: 'the driver declares no capability table' }];
        return [f, c.supported ? { supported: true, ...(c.note ? { note: c.note } : {}) } : { supported: false, reason: c.reason }];
      }),
    );
  });
  const planned = descriptors.filter((d) => !d.load && !d.retired).map((d) => d.name);
  if (args.json) {
    printJson(ctx, { features: FEATURES, providers: matrix, planned });
    return 0;
  }
  const names = implemented.map((d) => d.name);
  printTable(ctx, ['feature', ...names], FEATURES.map((f) => [f, ...names.map((n) => (matrix[n]![f]!.supported ? 'yes' : 'no'))]));
  const reasons = names.flatMap((n) => FEATURES.filter((f) => !matrix[n]![f]!.supported).map((f) => `  ${n} ${f}: ${matrix[n]![f]!.reason}`));
  if (reasons.length) ctx.stdout.write(`\nwhy not:\n${reasons.join('\n')}\n`);
  // How each supported feature is done and what it costs (the driver's note): reinstallIpxe's method, power's billing.
  const how = names.flatMap((n) => FEATURES.filter((f) => matrix[n]![f]!.supported && matrix[n]![f]!.note).map((f) => `  ${n} ${f}: ${matrix[n]![f]!.note}`));
  if (how.length) ctx.stdout.write(`\nhow:\n${how.join('\n')}\n`);
  if (planned.length) ctx.stdout.write(`\nplanned (drivers not written yet): ${planned.join(', ')}\n`);
  return 0;
}
