/**
 * `ferry agent doctor`: one line per check, ✓ or ✗ with the fix. Checks the configuration,
 * the keys (file modes are checked while loading), the control plane (reachable, and a signed
 * heartbeat accepted), and the provisioner (Proxmox token, node, template and storage; script
 * files executable; webhook URL; cloud credentials and region).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { ProviderError } from '../core/index.js';
import { nodeFetch, ResponseTooLargeError } from '../transport/node-fetch.js';
import { ConfigError } from './config-source.js';
import { loadAgentConfig, type AgentConfig, type ProvisionerConfig } from './config.js';
import { cloudProviderFor } from './provisioners/cloud.js';
import { ProxmoxClient } from '../providers/proxmox/index.js';
import { AGENT_VERSION } from './loop.js';
import { controlPlaneClient, type AgentOutput } from './setup.js';
import { makeRedactor, secretsOf } from './redaction.js';

export interface CheckResult {
  ok: boolean;
  label: string;
  /** What was found, or how to fix it. */
  detail: string;
}

export interface DoctorOptions {
  config: string;
  env?: NodeJS.ProcessEnv;
  /** Skip the control-plane checks (a provisioner-only set-up). */
  skipApi?: boolean;
}

/** Whether the endpoint answers at all: what it says is not read past 64 KiB. */
const probe = nodeFetch({ maxResponseBytes: 64 * 1024 });
const errText = (err: unknown): string => (err instanceof ProviderError ? err.describe() : (err as Error)?.message ?? String(err));

async function check(label: string, fn: () => Promise<string>, fix: (err: unknown) => string): Promise<CheckResult> {
  try {
    return { ok: true, label, detail: await fn() };
  } catch (err) {
    return { ok: false, label, detail: fix(err) };
  }
}

export async function runChecks(o: DoctorOptions): Promise<{ results: CheckResult[]; warnings: string[] }> {
  let config: AgentConfig;
  try {
    config = await loadAgentConfig(o.config, { requireApi: !o.skipApi });
  } catch (err) {
    const detail = err instanceof ConfigError ? err.message : errText(err);
    return { results: [{ ok: false, label: 'configuration', detail }], warnings: [] };
  }
  const results: CheckResult[] = [{ ok: true, label: 'configuration', detail: `${o.config}: provisioner ${config.provisioner.type}` }];
  if (config.api && !o.skipApi) results.push(...(await apiChecks(config)));
  results.push(...(await provisionerChecks(config.provisioner, o.env ?? process.env)));
  // What providers answered goes through the same redaction as the agent's log.
  const redact = makeRedactor(secretsOf(config, o.env ?? process.env));
  for (const r of results) r.detail = redact(r.detail);
  return { results, warnings: config.warnings };
}

async function apiChecks(config: AgentConfig): Promise<CheckResult[]> {
  const api = config.api!;
  const out: CheckResult[] = [{
    ok: true,
    label: 'keys',
    detail: api.role === 'agent' ? `delegated agent key for provider ${api.providerPubkey.slice(0, 16)}…` : `provider key ${api.providerPubkey.slice(0, 16)}…`,
  }];
  const reachable = await check(
    'control plane reachable',
    async () => {
      const status = await probe(api.endpoint, { method: 'GET', headers: {}, signal: AbortSignal.timeout(10_000) }).then(
        (res) => res.status,
        (err: unknown) => {
          if (err instanceof ResponseTooLargeError) return err.status; // it answered: its page is no concern here
          throw err;
        },
      );
      return `${api.endpoint} answered HTTP ${status}`;
    },
    (err) => `${api.endpoint} unreachable (${errText(err)}): check [api] endpoint, DNS and firewalls`,
  );
  out.push(reachable);
  if (!reachable.ok) return out;
  out.push(
    await check(
      'signature accepted',
      async () => {
        await controlPlaneClient(api).heartbeat({ version: AGENT_VERSION, provisionerType: config.provisioner.type, capabilities: [], activeContracts: 0 });
        return 'a signed heartbeat was accepted';
      },
      (err) =>
        /unknown_agent_key|delegation/.test(errText(err))
          ? `rejected (${errText(err)}): the agent key does not act for provider ${api.providerPubkey.slice(0, 16)}…; have the provider delegate it (agent-delegations) or sign with the provider's key`
          : ProviderError.is(err, 'authentication')
          ? `rejected (${errText(err)}): check the key and this machine's clock (requests more than 5 minutes off are refused)`
          : ProviderError.is(err, 'forbidden')
            ? `rejected (${errText(err)}): the key does not act for provider ${api.providerPubkey.slice(0, 16)}…; register the agent key with \`ferry agent\` delegation or use the provider's key`
            : `heartbeat failed: ${errText(err)}`,
    ),
  );
  return out;
}

async function provisionerChecks(p: ProvisionerConfig, env: NodeJS.ProcessEnv): Promise<CheckResult[]> {
  switch (p.type) {
    case 'proxmox': {
      const client = new ProxmoxClient({ url: p.apiUrl, tokenId: p.tokenId, tokenSecret: p.tokenSecret, verifyTls: p.verifySsl, timeouts: { httpRequestMs: 10_000 } });
      const token = await check('proxmox token', async () => `PVE ${(await client.version()).version} at ${p.apiUrl}`, (err) =>
        ProviderError.is(err, 'authentication') || ProviderError.is(err, 'forbidden')
          ? `${errText(err)}: check api_token_id / api_token_secret (Datacenter → Permissions → API Tokens; privilege separation needs VM.Clone, VM.Config.*, VM.PowerMgmt, Datastore.AllocateSpace)`
          : `${errText(err)}: check api_url${p.verifySsl ? ' (self-signed certificate? set verify_ssl = false)' : ''}`);
      if (!token.ok) return [token];
      const out = [token];
      out.push(await check('proxmox node', async () => {
        const node = (await client.listNodes()).find((n) => n.node === p.node);
        if (!node) throw new Error(`node ${p.node} not found`);
        if (node.status !== 'online') throw new Error(`node ${p.node} is ${node.status}`);
        return `${p.node} online`;
      }, (err) => `${errText(err)}: set provisioner.proxmox.node to a node of the cluster`));
      out.push(await check('proxmox template', async () => {
        const t = (await client.clusterVms()).find((r) => r.vmid === p.templateVmid);
        if (!t) throw new Error(`VM ${p.templateVmid} not found`);
        if (t.template !== 1 && t.template !== true) throw new Error(`VM ${p.templateVmid} is not a template`);
        return `template ${p.templateVmid} (${t.name ?? 'unnamed'}) on ${t.node}`;
      }, (err) => `${errText(err)}: set template_vmid to a cloud-init template (qm template <vmid>)`));
      if (p.storage) {
        out.push(await check('proxmox storage', async () => {
          const s = await client.getStorage(p.node, p.storage!);
          if (!s) throw new Error(`storage ${p.storage} not found on ${p.node}`);
          if (!s.content.split(',').includes('images')) throw new Error(`storage ${p.storage} does not hold disk images (content: ${s.content})`);
          return `${p.storage} (${s.type})`;
        }, (err) => `${errText(err)}: set provisioner.proxmox.storage to a storage with "images" content`));
      }
      return out;
    }
    case 'script': {
      const scripts: [string, string | undefined][] = [['provision', p.provision], ['terminate', p.terminate], ['health_check', p.healthCheck], ['list', p.list]];
      const out: CheckResult[] = [];
      for (const [name, path] of scripts) {
        if (!path) continue;
        out.push(await check(`script ${name}`, async () => {
          if (!statSync(path).isFile()) throw new Error(`${path} is not a file`);
          accessSync(path, constants.X_OK);
          return `${path} is executable`;
        }, (err) => `${errText(err)}: chmod +x ${path}`));
      }
      return out;
    }
    case 'manual':
      if (!p.notificationWebhook) return [{ ok: true, label: 'manual webhook', detail: 'none configured: operators watch the dashboard' }];
      return [{
        ok: true,
        label: 'manual webhook',
        detail: new URL(p.notificationWebhook).protocol === 'https:' ? 'well-formed https URL' : 'well-formed, but plain http: notifications travel unencrypted',
      }];
    case 'cloud': {
      const out: CheckResult[] = [];
      const provider = await cloudProviderFor(p, { env }).catch((err: unknown) => {
        out.push({ ok: false, label: `${p.provider} credentials`, detail: errText(err) });
        return null;
      });
      if (!provider) return out;
      out.push(await check(`${p.provider} credentials`, async () => {
        if (provider.capabilities.validation.supported) await provider.validateCredentials();
        else await provider.listRegions();
        return 'accepted';
      }, (err) => `${errText(err)}: check provisioner.cloud.credentials or the provider's environment variables`));
      if (out[0]!.ok) {
        out.push(await check(`${p.provider} region`, async () => {
          const regions = await provider.listRegions();
          if (!regions.some((r) => r.id === p.region)) throw new Error(`unknown region ${p.region}; regions: ${regions.map((r) => r.id).join(', ')}`);
          return p.region;
        }, (err) => errText(err)));
      }
      return out;
    }
  }
}

/** `ferry agent doctor`: prints the checks; exit code 1 when any failed. */
export async function agentDoctor(o: DoctorOptions, out: AgentOutput): Promise<number> {
  const { results, warnings } = await runChecks(o);
  for (const r of results) out.write(`${r.ok ? '✓' : '✗'} ${r.label}: ${r.detail.replace(/\n/g, '\n    ')}\n`);
  for (const w of warnings) out.write(`! ${w}\n`);
  return results.every((r) => r.ok) ? 0 : 1;
}
