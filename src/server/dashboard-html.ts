/** Server-rendered dashboard pages: plain HTML, no scripts, every value escaped. */
import type { AgentStatus, Contract, HealthCheckRecord } from '../protocol/api.js';

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const short = (key: string): string => `${key.slice(0, 10)}…`;
/** A time for people; one no Date can hold (a health report from the year 300000) shows as such instead of failing the page. */
const time = (ms: number): string => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? `(out of range: ${String(ms)})` : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · ferry</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
code{font-size:12px}.status{font-weight:600}form.inline{display:inline}label{display:block;margin:.4rem 0}
input{font:inherit;padding:.2rem}.error{color:#a00}
</style></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

export function loginPage(error?: string): string {
  return page('ferry control plane', `
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/login">
<label>Operator token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>`);
}

export function overviewPage(contracts: Contract[], agents: AgentStatus[], now: number, csrf: string): string {
  const rows = contracts
    .map((c) => `<tr data-contract="${esc(c.contract_id)}"><td><a href="/dashboard/contracts/${esc(c.contract_id)}"><code>${esc(short(c.contract_id))}</code></a></td>
<td class="status">${esc(c.status)}</td><td><code>${esc(short(c.provider_pubkey))}</code></td><td><code>${esc(short(c.requester_pubkey))}</code></td><td>${esc(time(c.updated_at))}</td></tr>`)
    .join('\n');
  const agentRows = agents
    .map((a) => `<tr data-agent="${esc(a.agent_pubkey)}"><td><code>${esc(short(a.agent_pubkey))}</code></td><td><code>${esc(short(a.provider_pubkey))}</code></td>
<td>${esc(a.provisioner_type ?? '')}</td><td>${esc(a.version ?? '')}</td><td>${esc(a.active_contracts)}</td>
<td>${esc(time(a.last_heartbeat_at))} (${esc(Math.max(0, Math.round((now - a.last_heartbeat_at) / 1000)))} s ago)</td></tr>`)
    .join('\n');
  return page('ferry control plane', `
<form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="${esc(csrf)}"><button>Sign out</button></form>
<h2>Contracts</h2>
<table id="contracts"><thead><tr><th>contract</th><th>status</th><th>provider</th><th>requester</th><th>updated</th></tr></thead><tbody>
${rows || '<tr><td colspan="5">no contracts yet</td></tr>'}</tbody></table>
<h2>Agents</h2>
<table id="agents"><thead><tr><th>agent key</th><th>provider</th><th>provisioner</th><th>version</th><th>active</th><th>last heartbeat</th></tr></thead><tbody>
${agentRows || '<tr><td colspan="6">no heartbeats yet</td></tr>'}</tbody></table>`);
}

/** What the contract page offers beyond viewing. */
export interface ContractPageOptions {
  /** The offering's provisioner is manual: the operator tears the instance down by hand too. */
  manualProvisioner: boolean;
  message?: string;
}

export function contractPage(c: Contract, health: HealthCheckRecord[], csrf: string, o: ContractPageOptions): string {
  const message = o.message;
  const history = (c.history ?? [])
    .map((t) => `<tr><td>${esc(time(t.at))}</td><td>${esc(t.from_status ?? '—')}</td><td class="status">${esc(t.to_status)}</td><td><code>${esc(t.actor)}</code></td><td>${esc(t.detail ?? '')}</td></tr>`)
    .join('\n');
  const checks = health
    .map((h) => `<tr><td>${esc(time(Math.floor(h.checkedAt / 1_000_000)))}</td><td>${esc(h.status)}</td><td>${esc(h.latencyMs ?? '')}</td><td>${esc(h.details ?? '')}</td></tr>`)
    .join('\n');
  const manual = c.status === 'pending_provisioning' || c.status === 'provisioning'
    ? `<h2>Complete manual provisioning</h2>
<p>Enter the details of the instance you set up. The root password is sealed to the requester's key; the server keeps no readable copy.</p>
<form id="manual-provision" method="post" action="/dashboard/contracts/${esc(c.contract_id)}/provisioned">
<input type="hidden" name="csrf" value="${esc(csrf)}">
<label>External id <input name="external_id" required></label>
<label>IPv4 address <input name="ip_address"></label>
<label>IPv6 address <input name="ipv6_address"></label>
<label>SSH port <input name="ssh_port" type="number" min="1" max="65535" value="22"></label>
<label>Root password <input name="root_password" type="password" autocomplete="new-password"></label>
<button type="submit">Mark provisioned</button>
</form>`
    : '';
  const teardown = c.status === 'terminating' && o.manualProvisioner
    ? `<h2>Complete manual termination</h2>
<p>The requester ended this contract. Once you have torn the instance down, record it here.</p>
<form id="manual-terminate" method="post" action="/dashboard/contracts/${esc(c.contract_id)}/terminated">
<input type="hidden" name="csrf" value="${esc(csrf)}">
<label>Note <input name="note" maxlength="500" placeholder="e.g. disks wiped, rack slot freed"></label>
<button type="submit">Mark terminated</button>
</form>`
    : '';
  return page(`Contract ${short(c.contract_id)}`, `
<p><a href="/">← all contracts</a></p>
${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
<table><tbody>
<tr><th>contract</th><td><code>${esc(c.contract_id)}</code></td></tr>
<tr><th>status</th><td class="status" id="status">${esc(c.status)}</td></tr>
<tr><th>offering</th><td><code>${esc(c.offering_id)}</code></td></tr>
<tr><th>provider</th><td><code>${esc(c.provider_pubkey)}</code></td></tr>
<tr><th>requester</th><td><code>${esc(c.requester_pubkey)}</code></td></tr>
<tr><th>SSH key</th><td><code>${esc(c.requester_ssh_pubkey)}</code></td></tr>
<tr><th>instance</th><td id="instance"><code>${esc(c.instance_details ? JSON.stringify(c.instance_details) : '—')}</code></td></tr>
<tr><th>credentials</th><td>${c.has_credentials ? 'sealed to the requester' : 'none'}</td></tr>
${c.error ? `<tr><th>error</th><td>${esc(c.error)}</td></tr>` : ''}
</tbody></table>
<h2>History</h2>
<table id="history"><thead><tr><th>at</th><th>from</th><th>to</th><th>actor</th><th>detail</th></tr></thead><tbody>${history}</tbody></table>
<h2>Health</h2>
<table id="health"><thead><tr><th>checked</th><th>status</th><th>latency ms</th><th>details</th></tr></thead><tbody>${checks || '<tr><td colspan="4">no reports</td></tr>'}</tbody></table>
${manual}${teardown}`);
}
