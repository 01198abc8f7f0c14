/**
 * Cloud firewalls (/v2/firewalls). ferry's firewall lets SSH in from anywhere and everything out.
 *
 * Two DigitalOcean rules shape this:
 * - A firewall with no outbound rules blocks all outbound traffic of its droplets, so the
 *   firewall carries the control panel's default outbound rules (every tcp, udp and icmp port to
 *   anywhere): a user adding a firewall for SSH does not expect package mirrors to go dark.
 * - A firewall's `tags` are not labels: they assign the firewall to every droplet carrying one
 *   of them. Tagging it managed-by:ferry would put it on all of ferry's droplets, so it carries no
 *   tags and ferry knows it by name only.
 */
import { byCodeUnits, UserError, type Firewall, type OperationOptions } from '../../core/index.js';
import type { DoClient } from './client.js';
import { firewallFromDo } from './mapping.js';
import type { DoInboundRule, DoOutboundRule } from './schema.js';

const ANYWHERE = ['0.0.0.0/0', '::/0'];

export const SSH_RULE: DoInboundRule = { protocol: 'tcp', ports: '22', sources: { addresses: ANYWHERE } };

/** "0" is every port of the protocol (the only value the API takes for icmp). */
export const OPEN_OUTBOUND: DoOutboundRule[] = (['tcp', 'udp', 'icmp'] as const).map((protocol) => ({
  protocol,
  ports: '0',
  destinations: { addresses: ANYWHERE },
}));

/** The spec's pattern for firewall names. */
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9.-]+$/;

function checkName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new UserError(`invalid DigitalOcean firewall name "${name}"`, 'use 2 or more letters, digits, "." and "-", starting with a letter or digit');
  }
}

/** Every page is read: the account's firewalls are not filtered server-side. The oldest of a name wins. */
export async function getFirewallByName(client: DoClient, name: string, o?: OperationOptions): Promise<Firewall | null> {
  const found = (await client.listFirewalls(o)).filter((f) => f.name === name).sort((a, b) => byCodeUnits(a.created_at, b.created_at));
  return found[0] ? firewallFromDo(found[0]) : null;
}

/**
 * DigitalOcean does not keep firewall names unique, so this is a lookup then a create; the
 * lookup's oldest-first rule makes every later call agree on one firewall should two ever exist.
 */
export async function findOrCreateFirewall(client: DoClient, name: string, o?: OperationOptions): Promise<Firewall> {
  checkName(name);
  const existing = await getFirewallByName(client, name, o);
  if (existing) return existing;
  return firewallFromDo(await client.createFirewall({ name, inbound_rules: [SSH_RULE], outbound_rules: OPEN_OUTBOUND }, o));
}
