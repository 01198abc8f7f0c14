/** The provider table of the README, in Markdown, derived from the registry (scripts/readme-providers.mjs). */
import { byCodeUnits, endpointEnvOf, envNames, type ProviderDescriptor } from '../core/index.js';
import { withDefaults } from '../providers/registry.js';

function credentials(d: ProviderDescriptor): string {
  return d.credentials
    .filter((f) => f.required || f.secret)
    .map((f) => envNames(f).map((e) => `\`${e}\``).join(' / '))
    .join(', ');
}

export async function providerTable(): Promise<string> {
  const r = withDefaults();
  const all = r.descriptors();
  const rows: string[] = ['| provider | kind | credentials (aliases after /) | iPXE reinstall | API followed |', '|---|---|---|---|---|'];
  for (const d of all.filter((x) => x.load && !x.retired).sort((a, b) => byCodeUnits(a.name, b.name))) {
    const ipxe = (await d.load!()).capabilities.reinstallIpxe;
    const how = ipxe.supported ? (ipxe.note ?? 'yes') : `no: ${ipxe.reason}`;
    rows.push(`| \`${d.name}\` (${d.title}) | ${d.kind} | ${credentials(d)} | ${how.replace(/\|/g, '\\|')} | ${d.apiReference.replace(/\|/g, '\\|')} |`);
  }
  const planned = all.filter((x) => !x.load && !x.retired).map((d) => `\`${d.name}\``);
  const retired = all.filter((x) => x.retired).map((d) => `\`${d.name}\` (retired ${d.retired!.date})`);
  return [
    ...rows,
    '',
    `Planned, not driven yet: ${planned.join(', ') || 'none'}. Retired: ${retired.join(', ') || 'none'}.`,
    `Every driver's API URL can be overridden with \`FERRY_<PROVIDER>_ENDPOINT\` (e.g. \`${endpointEnvOf(all[0]!)}\`), which is how ferry talks to the emulator.`,
    '',
  ].join('\n');
}
