/** `ferry config set-credentials` and `ferry config show`. Secrets are never printed. */
import { readFileSync } from 'node:fs';
import { endpointEnvOf, UserError, type CredentialField } from '../../core/index.js';
import type { Context } from '../context.js';
import type { Args } from '../define.js';
import { printJson, printTable } from '../output.js';
import { implementedDescriptor } from '../providers.js';

function parseSets(list: unknown, fields: readonly CredentialField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq) : '';
    const field = fields.find((f) => f.key === key || f.env === key);
    if (!field) throw new UserError(`--set ${key || item}: not a credential field`, `fields: ${fields.map((f) => f.key).join(', ')}`);
    out[field.key] = item.slice(eq + 1);
  }
  return out;
}

export async function setCredentials(ctx: Context, args: Args): Promise<number> {
  const d = await implementedDescriptor(ctx, String(args.provider));
  const values = parseSets(args.set, d.credentials);
  const secretField = d.credentials.find((f) => f.secret);
  if (typeof args.token === 'string') {
    if (!secretField) throw new UserError(`${d.title} takes no token`);
    values[secretField.key] = args.token;
  }
  if (args.stdin) {
    if (!secretField) throw new UserError(`${d.title} takes no secret`);
    const line = readFileSync(0, 'utf8').split(/\r?\n/)[0]?.trim();
    if (!line) throw new UserError('--stdin: nothing on stdin');
    values[secretField.key] = line;
  }
  if (args.fromEnv) {
    for (const f of d.credentials) if (ctx.env[f.env] && values[f.key] === undefined) values[f.key] = ctx.env[f.env]!;
  }
  if (typeof args.endpoint === 'string') values.endpoint = args.endpoint;

  const missing = d.credentials.filter((f) => f.required && !values[f.key]);
  if (missing.length && !ctx.interactive) {
    throw new UserError(
      `missing ${missing.map((f) => f.key).join(', ')} for ${d.name}, and stdin is not a terminal to ask`,
      `pass --token (lands in shell history), --stdin, --from-env with ${missing.map((f) => f.env).join(', ')} set, or run it in a terminal`,
    );
  }
  for (const f of missing) {
    const answer = await ctx.prompt(`${d.title} ${f.description} (${f.env}): `, { secret: f.secret });
    if (!answer) throw new UserError(`no ${f.key} given`);
    values[f.key] = answer;
  }
  const creds = await ctx.credentials();
  await creds.save(d.name, values);
  const saved = Object.keys(values).join(', ');
  ctx.stdout.write(`saved ${d.name} credentials (${saved}) to ${creds.path} (mode 0600)\n`);
  const shadowed = d.credentials.filter((f) => values[f.key] && ctx.env[f.env]);
  if (shadowed.length) ctx.stderr.write(`note: ${shadowed.map((f) => f.env).join(', ')} set in the environment still win over the file\n`);
  return 0;
}

/** Secrets show only whether they are set. */
function display(field: CredentialField, value: string | undefined): string {
  if (!value) return '-';
  return field.secret ? '********' : value;
}

export async function show(ctx: Context, args: Args): Promise<number> {
  const registry = await ctx.registry();
  const creds = await ctx.credentials();
  const rows = registry.implementedProviders().map((name) => {
    const r = creds.resolve(name);
    return {
      provider: name,
      configured: r.missing.length === 0,
      endpointEnv: endpointEnvOf(r.descriptor),
      endpoint: r.endpoint ?? null,
      endpointSource: r.endpointSource ?? null,
      fields: r.descriptor.credentials.map((f) => ({ key: f.key, env: f.env, secret: f.secret, source: r.sources[f.key] ?? null, value: display(f, r.values[f.key]) })),
    };
  });
  if (args.json) {
    printJson(ctx, { credentialsFile: creds.path, providers: rows });
    return 0;
  }
  ctx.stdout.write(`credentials file: ${creds.path}\n\n`);
  printTable(
    ctx,
    ['provider', 'field', 'variable', 'source', 'value'],
    rows.flatMap((r) => [
      ...r.fields.map((f) => [r.provider, f.key, f.env, f.source ?? '-', f.value]),
      ...(r.endpoint ? [[r.provider, 'endpoint', r.endpointEnv, r.endpointSource ?? '-', r.endpoint]] : []),
    ]),
  );
  return 0;
}
