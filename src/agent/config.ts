/**
 * The agent's TOML configuration, in the seed's format (dc-agent.toml):
 * [api], [polling], [provisioner] with `type` and one table per provisioner, plus an
 * optional [agent] table (state_dir). Every problem is reported at once, each naming
 * the key and its line.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { isKeyHex, publicKeyOf, weakKeyReason } from '../protocol/keys.js';
import { ConfigError, indexKeyLines } from './config-source.js';
import { isTable, Reader, type Table } from './config-reader.js';
import { keyFromFileText, resolvePath } from './secrets.js';

export const PROVISIONER_TYPES = ['proxmox', 'script', 'manual', 'cloud'] as const;
export type ProvisionerType = (typeof PROVISIONER_TYPES)[number];

export interface ApiConfig {
  endpoint: string;
  providerPubkey: string;
  /** Hex Ed25519 seed the agent signs with: the delegated agent key when given, else the provider's. */
  signingKey: string;
  /** 'agent' signs under X-Agent-Pubkey (a key the provider delegated), 'provider' under X-Public-Key. */
  role: 'provider' | 'agent';
}

export interface PollingConfig {
  intervalSeconds: number;
  healthCheckIntervalSeconds: number;
  /** Hold each poll open on the server (?wait=interval) so new contracts start at once. */
  longPoll: boolean;
  /** How long an instance nobody claims may run before the agent terminates it. */
  orphanGraceSeconds: number;
  reconcileIntervalSeconds: number;
}

export interface ProxmoxProvisionerConfig {
  type: 'proxmox';
  apiUrl: string;
  tokenId: string;
  tokenSecret: string;
  node: string;
  templateVmid: number;
  storage?: string;
  pool?: string;
  verifySsl: boolean;
  fullClone: boolean;
  /** cloud-init ipconfig0, e.g. "ip=dhcp". */
  ipConfig: string;
}

export interface ScriptProvisionerConfig {
  type: 'script';
  provision: string;
  terminate: string;
  healthCheck?: string;
  list?: string;
  timeoutSeconds: number;
  maxOutputBytes: number;
  /** Names of the agent's environment variables a script receives besides the basic ones (PATH, HOME, locale). */
  passEnv?: string[];
}

export interface ManualProvisionerConfig {
  type: 'manual';
  notificationWebhook?: string;
}

export interface CloudProvisionerConfig {
  type: 'cloud';
  /** A ferry provider name: digitalocean, hetzner, … */
  provider: string;
  region: string;
  /** offering id → provider size. */
  sizeMap: Record<string, string>;
  defaultSize?: string;
  image: string;
  /** Missing keys are read from the provider's environment variables. */
  credentials: Record<string, string>;
  endpoint?: string;
}

export type ProvisionerConfig = ProxmoxProvisionerConfig | ScriptProvisionerConfig | ManualProvisionerConfig | CloudProvisionerConfig;

export interface AgentConfig {
  file: string;
  /** Absent when parsed with requireApi: false and no [api] table (test-provision). */
  api?: ApiConfig;
  polling: PollingConfig;
  provisioner: ProvisionerConfig;
  /** Where in-flight work is kept across restarts; default under $XDG_STATE_HOME. */
  stateDir?: string;
  /** Non-fatal findings (group-readable secret files, unknown top-level tables). */
  warnings: string[];
}

export interface ParseOptions {
  /** Name used in messages; also the base for relative paths. */
  file?: string;
  baseDir?: string;
  /** false for test-provision, which needs no control plane. Default true. */
  requireApi?: boolean;
  /** Provider names the cloud provisioner accepts; unchecked when absent. */
  cloudProviders?: readonly string[];
  /** The file's mode (stat), so inline secrets in a world-readable file are refused like secret files. */
  fileMode?: number;
}

const TOP_LEVEL = ['api', 'polling', 'provisioner', 'agent'];

export function parseAgentConfig(source: string, o: ParseOptions = {}): AgentConfig {
  const file = o.file ?? 'agent.toml';
  let doc: Table;
  try {
    doc = parse(source) as Table;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new ConfigError(file, [{ key: '(syntax)', line: err.line, message: `${first} at column ${err.column}` }]);
    }
    throw err;
  }
  const r = new Reader(file, indexKeyLines(source), o.baseDir ?? dirname(resolve(file)), o.fileMode);
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.includes(k)) r.warn(k, `unknown table, ignored (ferry reads ${TOP_LEVEL.join(', ')})`);

  const apiTable = r.table(doc, '', 'api', o.requireApi !== false);
  const api = apiTable ? readApi(r, apiTable) : undefined;
  const polling = readPolling(r, r.table(doc, '', 'polling', false) ?? {});
  const provisioner = readProvisioner(r, r.table(doc, '', 'provisioner', true), o.cloudProviders);
  const agent = r.table(doc, '', 'agent', false);
  let stateDir: string | undefined;
  if (agent) {
    r.onlyKeys(agent, 'agent', ['state_dir']);
    const dir = r.string(agent, 'agent', 'state_dir');
    if (dir) stateDir = resolvePath(dir, r.baseDir);
  }
  if (r.issues.length || !provisioner) throw new ConfigError(file, r.issues);
  const config: AgentConfig = { file, polling, provisioner, warnings: r.warnings };
  if (api) config.api = api;
  if (stateDir) config.stateDir = stateDir;
  return config;
}

export async function loadAgentConfig(path: string, o: Omit<ParseOptions, 'file' | 'baseDir'> = {}): Promise<AgentConfig> {
  let source: string;
  let fileMode: number;
  try {
    source = readFileSync(path, 'utf8');
    fileMode = statSync(path).mode;
  } catch (err) {
    throw new ConfigError(path, [{ key: '(file)', line: null, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  const cloudProviders = o.cloudProviders ?? (await import('../providers/registry.js')).withDefaults().registeredProviders();
  return parseAgentConfig(source, { ...o, file: path, baseDir: dirname(resolve(path)), cloudProviders, fileMode });
}

const keyOrPath = (v: string): boolean => isKeyHex(v);

function readApi(r: Reader, t: Table): ApiConfig | undefined {
  const p = 'api';
  r.onlyKeys(t, p, ['endpoint', 'provider_pubkey', 'provider_secret_key', 'provider_secret_key_file', 'agent_secret_key', 'agent_secret_key_file']);
  const endpoint = r.url(t, p, 'endpoint', { required: true });
  const pubkey = r.string(t, p, 'provider_pubkey', { pattern: /^[0-9a-fA-F]{64}$/, hint: '64 hex characters (an Ed25519 public key)' });
  const secretOpts = { looksInline: keyOrPath, parseFile: keyFromFileText };
  const providerSecret = r.secret(t, p, 'provider_secret_key', secretOpts);
  const agentSecret = r.secret(t, p, 'agent_secret_key', secretOpts);
  const checkKey = (key: string, v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    if (isKeyHex(v)) return v.toLowerCase();
    r.fail(`api.${key}`, 'must be a 64-hex-character Ed25519 secret key (or a path to a file holding one)');
    return undefined;
  };
  const provider = checkKey('provider_secret_key', providerSecret);
  const agent = checkKey('agent_secret_key', agentSecret);
  const hadSecret = t['provider_secret_key'] ?? t['provider_secret_key_file'] ?? t['agent_secret_key'] ?? t['agent_secret_key_file'];
  if (hadSecret === undefined) {
    r.fail('api.provider_secret_key', 'is required (or provider_secret_key_file, or a delegated agent_secret_key[_file])');
  }
  let providerPubkey = pubkey?.toLowerCase();
  const weak = providerPubkey ? weakKeyReason(providerPubkey) : null;
  if (weak) r.fail('api.provider_pubkey', `${weak}: not a usable Ed25519 public key`);
  if (provider) {
    const derived = publicKeyOf(provider);
    if (providerPubkey && providerPubkey !== derived) r.fail('api.provider_pubkey', `does not match provider_secret_key (whose public key is ${derived})`);
    providerPubkey ??= derived;
  } else if (agent && !providerPubkey) {
    r.fail('api.provider_pubkey', 'is required with agent_secret_key: it names the provider the agent acts for');
  }
  if (!endpoint || !providerPubkey || !(agent ?? provider)) return undefined;
  return agent
    ? { endpoint, providerPubkey, signingKey: agent, role: 'agent' }
    : { endpoint, providerPubkey, signingKey: provider!, role: 'provider' };
}

/** A week: the longest wait worth configuring, and well inside a Node timer's 2^31 ms (longer ones fire at once). */
const MAX_INTERVAL_SECONDS = 7 * 24 * 3600;

function readPolling(r: Reader, t: Table): PollingConfig {
  const p = 'polling';
  r.onlyKeys(t, p, ['interval_seconds', 'health_check_interval_seconds', 'long_poll', 'orphan_grace_seconds', 'reconcile_interval_seconds']);
  return {
    intervalSeconds: r.number(t, p, 'interval_seconds', { default: 30, min: 1, max: 3600 })!,
    healthCheckIntervalSeconds: r.number(t, p, 'health_check_interval_seconds', { default: 300, min: 1, max: MAX_INTERVAL_SECONDS })!,
    longPoll: r.boolean(t, p, 'long_poll', false),
    orphanGraceSeconds: r.number(t, p, 'orphan_grace_seconds', { default: 600, min: 0 })!,
    reconcileIntervalSeconds: r.number(t, p, 'reconcile_interval_seconds', { default: 300, min: 1, max: MAX_INTERVAL_SECONDS })!,
  };
}

function readProvisioner(r: Reader, t: Table | undefined, cloudProviders?: readonly string[]): ProvisionerConfig | undefined {
  if (!t) return undefined;
  const p = 'provisioner';
  r.onlyKeys(t, p, ['type', ...PROVISIONER_TYPES]);
  const type = r.string(t, p, 'type', { required: true, hint: PROVISIONER_TYPES.join(', ') });
  if (type === undefined) return undefined;
  if (!(PROVISIONER_TYPES as readonly string[]).includes(type)) {
    r.fail('provisioner.type', `unknown provisioner ${JSON.stringify(type)}; expected one of ${PROVISIONER_TYPES.join(', ')}`);
    return undefined;
  }
  for (const other of PROVISIONER_TYPES) {
    if (other !== type && t[other] !== undefined) r.warn(`provisioner.${other}`, `ignored: provisioner.type is ${type}`);
  }
  const section = r.table(t, p, type, type !== 'manual') ?? (type === 'manual' ? {} : undefined);
  if (!section) return undefined;
  switch (type as ProvisionerType) {
    case 'proxmox':
      return readProxmox(r, section);
    case 'script':
      return readScript(r, section);
    case 'manual':
      return readManual(r, section);
    case 'cloud':
      return readCloud(r, section, cloudProviders);
  }
}

function readProxmox(r: Reader, t: Table): ProxmoxProvisionerConfig | undefined {
  const p = 'provisioner.proxmox';
  r.onlyKeys(t, p, [
    'api_url', 'api_token_id', 'api_token_secret', 'api_token_secret_file', 'node', 'template_vmid',
    'storage', 'pool', 'verify_ssl', 'full_clone', 'ip_config',
  ]);
  const apiUrl = r.url(t, p, 'api_url', { required: true });
  const tokenId = r.string(t, p, 'api_token_id', { required: true, pattern: /^[^@!\s]+@[^@!\s]+![A-Za-z][A-Za-z0-9._-]*$/, hint: 'USER@REALM!TOKENID, e.g. root@pam!ferry-agent' });
  const tokenSecret = r.secret(t, p, 'api_token_secret', { required: true });
  const node = r.string(t, p, 'node', { required: true });
  const templateVmid = r.number(t, p, 'template_vmid', { required: true, integer: true, min: 100, max: 999_999_999 });
  const storage = r.string(t, p, 'storage');
  const pool = r.string(t, p, 'pool');
  const verifySsl = r.boolean(t, p, 'verify_ssl', true);
  const fullClone = r.boolean(t, p, 'full_clone', true);
  const ipConfig = r.string(t, p, 'ip_config') ?? 'ip=dhcp';
  if (!apiUrl || !tokenId || !tokenSecret || !node || templateVmid === undefined) return undefined;
  const c: ProxmoxProvisionerConfig = { type: 'proxmox', apiUrl, tokenId, tokenSecret, node, templateVmid, verifySsl, fullClone, ipConfig };
  if (storage) c.storage = storage;
  if (pool) c.pool = pool;
  return c;
}

function readScript(r: Reader, t: Table): ScriptProvisionerConfig | undefined {
  const p = 'provisioner.script';
  r.onlyKeys(t, p, ['provision', 'terminate', 'health_check', 'list', 'timeout_seconds', 'max_output_bytes', 'pass_env']);
  const path = (name: string, required: boolean): string | undefined => {
    const v = r.string(t, p, name, { required });
    return v === undefined ? undefined : resolvePath(v, r.baseDir);
  };
  const provision = path('provision', true);
  const terminate = path('terminate', true);
  const healthCheck = path('health_check', false);
  const list = path('list', false);
  const timeoutSeconds = r.number(t, p, 'timeout_seconds', { default: 300, min: 1, max: MAX_INTERVAL_SECONDS })!;
  const maxOutputBytes = r.number(t, p, 'max_output_bytes', { default: 1024 * 1024, min: 1024, integer: true })!;
  const passEnv: string[] = [];
  const rawPass = t['pass_env'];
  if (rawPass !== undefined) {
    if (!Array.isArray(rawPass) || rawPass.some((n) => typeof n !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) {
      r.fail(`${p}.pass_env`, 'must be a list of environment variable names, e.g. ["HCLOUD_TOKEN"]');
    } else passEnv.push(...(rawPass as string[]));
  }
  if (!provision || !terminate) return undefined;
  const c: ScriptProvisionerConfig = { type: 'script', provision, terminate, timeoutSeconds, maxOutputBytes, passEnv };
  if (healthCheck) c.healthCheck = healthCheck;
  if (list) c.list = list;
  return c;
}

function readManual(r: Reader, t: Table): ManualProvisionerConfig {
  const p = 'provisioner.manual';
  r.onlyKeys(t, p, ['notification_webhook']);
  const hook = r.url(t, p, 'notification_webhook');
  return hook ? { type: 'manual', notificationWebhook: hook } : { type: 'manual' };
}

function readCloud(r: Reader, t: Table, providers?: readonly string[]): CloudProvisionerConfig | undefined {
  const p = 'provisioner.cloud';
  r.onlyKeys(t, p, ['provider', 'region', 'size_map', 'default_size', 'image', 'credentials', 'endpoint']);
  const provider = r.string(t, p, 'provider', { required: true, hint: providers?.join(', ') });
  if (provider && providers && !providers.includes(provider)) r.fail(`${p}.provider`, `unknown provider ${JSON.stringify(provider)}; known: ${providers.join(', ')}`);
  const region = r.string(t, p, 'region', { required: true });
  const sizeMap = r.stringMap(t, p, 'size_map');
  const defaultSize = r.string(t, p, 'default_size');
  if (!defaultSize && Object.keys(sizeMap).length === 0 && isTable(t)) {
    r.fail(`${p}.default_size`, 'give default_size or a size_map (offering id = "provider size")');
  }
  const image = r.string(t, p, 'image') ?? 'ubuntu-24.04';
  const credentials = r.stringMap(t, p, 'credentials');
  if (Object.keys(credentials).length > 0 && !r.inlineSecret(`${p}.credentials`)) return undefined;
  const endpoint = r.url(t, p, 'endpoint');
  if (!provider || !region) return undefined;
  const c: CloudProvisionerConfig = { type: 'cloud', provider, region, sizeMap, image, credentials };
  if (defaultSize) c.defaultSize = defaultSize;
  if (endpoint) c.endpoint = endpoint;
  return c;
}
