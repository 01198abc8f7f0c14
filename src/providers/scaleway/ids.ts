/**
 * ferry's ids for Scaleway resources. Scaleway ids are UUIDs scoped to a zone (or a region), so
 * ferry keeps the zone in the id as Scaleway's own CLI and Terraform provider do: "fr-par-1/<uuid>"
 * is an Instance server (or image, volume, security group); an Elastic Metal server is
 * "em:fr-par-2/<uuid>", which tells which API owns it. Private networks are "fr-par/<uuid>".
 */
import { UserError } from '../../core/index.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ZONED = new RegExp(`^(em:)?([a-z]{2}-[a-z]{3}-\\d)/(${UUID})$`);
const REGIONAL = new RegExp(`^([a-z]{2}-[a-z]{3})/(${UUID})$`);

export interface ZonedId {
  api: 'instance' | 'baremetal';
  zone: string;
  id: string;
}

export const zonedId = (zone: string, id: string) => `${zone}/${id}`;
export const baremetalId = (zone: string, id: string) => `em:${zone}/${id}`;
export const regionalId = (region: string, id: string) => `${region}/${id}`;

export function regionOfZone(zone: string): string {
  return zone.split('-').slice(0, 2).join('-');
}

/** undefined for anything that is not one of ferry's Scaleway ids: such a thing cannot exist. */
export function parseZonedId(text: string): ZonedId | undefined {
  const m = ZONED.exec(text.trim());
  if (!m) return undefined;
  return { api: m[1] ? 'baremetal' : 'instance', zone: m[2]!, id: m[3]! };
}

export function parseRegionalId(text: string): { region: string; id: string } | undefined {
  const m = REGIONAL.exec(text.trim());
  return m ? { region: m[1]!, id: m[2]! } : undefined;
}

/** For operations that need an existing thing: a malformed id is the user's mistake. */
export function requireZonedId(text: string, what: string): ZonedId {
  const parsed = parseZonedId(text);
  if (!parsed) throw new UserError(`invalid scaleway ${what} id "${text}"`, 'ids look like fr-par-1/<uuid> (Instance) or em:fr-par-2/<uuid> (Elastic Metal)');
  return parsed;
}
