/**
 * The cloud provisioner: any ferry Provider (DigitalOcean, Hetzner, …) from the registry, with
 * the offering's size (size_map, else default_size) in the configured region. The instance is
 * named after the contract and labelled with its id, so a re-run after a crash finds it by
 * label instead of ordering a second server; the root password comes in through cloud-init.
 */
import { parseImageSpec, type Provider, type ProviderConfig, type ProviderTimeouts } from '../../core/index.js';
import { withDefaults } from '../../providers/registry.js';
import { sshEndpointFor, waitForSsh } from '../../ssh/index.js';
import type { CloudProvisionerConfig } from '../config.js';
import { contractIdFromLabels, contractLabels, CONTRACT_LABEL, instanceNameFor, type ProvisionRequest } from '../contract.js';
import { AGENT_OWNER, OWNER_KEY } from '../../core/ownership.js';
import { derivePassword, PASSWORD_LABEL, passwordFingerprint, reportablePassword } from './passwords.js';
import { asProvisionError } from './proxmox.js';
import { ProvisionError, type HealthResult, type OpOptions, type ProvisionOutcome, type Provisioner, type RunningInstance } from './types.js';

export interface CloudProvisionerOptions {
  passwordSeed: Uint8Array;
  provider?: Provider;
  timeouts?: Partial<ProviderTimeouts>;
  http?: ProviderConfig['http'];
  env?: NodeJS.ProcessEnv;
}

/** Builds the provider from the registry: configured credentials first, then the provider's environment variables. */
export async function cloudProviderFor(c: CloudProvisionerConfig, o: Omit<CloudProvisionerOptions, 'passwordSeed' | 'provider'> = {}): Promise<Provider> {
  const env = o.env ?? process.env;
  const registry = withDefaults();
  // The registry reads the provider's variables (and aliases) under the configured values, as the CLI does.
  const config: ProviderConfig = { credentials: { ...c.credentials } };
  if (c.endpoint) config.endpoint = c.endpoint;
  if (o.timeouts) config.timeouts = o.timeouts;
  if (o.http) config.http = o.http;
  return registry.create(c.provider, config, env);
}

export function cloudInit(password: string): string {
  return ['#cloud-config', 'chpasswd:', '  expire: false', '  users:', '    - name: root', `      password: ${JSON.stringify(password)}`, '      type: text', ''].join('\n');
}

export class CloudProvisioner implements Provisioner {
  readonly type = 'cloud' as const;

  private constructor(
    private readonly config: CloudProvisionerConfig,
    readonly provider: Provider,
    private readonly passwordSeed: Uint8Array,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(config: CloudProvisionerConfig, o: CloudProvisionerOptions): Promise<CloudProvisioner> {
    return new CloudProvisioner(config, o.provider ?? (await cloudProviderFor(config, o)), o.passwordSeed, o.env ?? process.env);
  }

  /**
   * A requester must never receive credentials for a server that cannot be logged into yet:
   * waits (the provider's ssh_connect timeout) until the server's SSH completes a handshake.
   * Pointed at the emulator, its loopback SSH map is used (see src/ssh/endpoints.ts).
   */
  private async waitForSshAnswer(ip: string, o: OpOptions): Promise<void> {
    const t = this.provider.timeouts;
    const endpoint = await sshEndpointFor(ip, { env: this.env, ...(this.config.endpoint ? { providerEndpoint: this.config.endpoint } : {}) });
    await waitForSsh({ endpoint, login: { username: 'root' }, sshConnectMs: t.sshConnectMs, cloudInitMs: t.cloudInitMs, pollIntervalMs: t.pollIntervalMs, ...(o.signal ? { signal: o.signal } : {}) });
  }

  private async byContract(contractId: string, o: OpOptions) {
    const first = `${CONTRACT_LABEL}-0`;
    const found = await this.provider.listInstances({ ...o, labels: { [first]: contractLabels(contractId)[first]! } });
    return found.find((i) => contractIdFromLabels(i.labels) === contractId.toLowerCase()) ?? null;
  }

  async provision(req: ProvisionRequest, o: OpOptions = {}): Promise<ProvisionOutcome> {
    const size = this.config.sizeMap[req.offeringId] ?? this.config.defaultSize;
    if (!size) throw new ProvisionError(`no ${this.config.provider} size for offering ${req.offeringId}: add it to provisioner.cloud.size_map or set default_size`, false);
    const password = derivePassword(this.passwordSeed, req.contractId);
    try {
      const existing = await this.byContract(req.contractId, o);
      const name = instanceNameFor(req.contractId);
      const created =
        existing ??
        (await this.provider.createInstance({
          name,
          region: this.config.region,
          size,
          image: parseImageSpec(this.config.image),
          sshKeys: req.requesterSshPubkey.trim() ? [req.requesterSshPubkey.trim()] : [],
          // The owner marker tells the CLI's `ls`/`gc` this server is the agent's (the contract labels say which contract).
          labels: { [OWNER_KEY]: AGENT_OWNER, ...contractLabels(req.contractId), [PASSWORD_LABEL]: passwordFingerprint(password) },
          userData: cloudInit(password),
          createId: name,
        }, o));
      const ready = await this.provider.waitReady(created.id, o);
      const address = ready.ipv4 ?? ready.ipv6;
      if (address) await this.waitForSshAnswer(address, o);
      // An instance another agent built (a takeover) has that agent's password, not ours: report none rather than a wrong one.
      const rootPassword = existing ? reportablePassword(existing.labels, password) : password;
      const details: Record<string, unknown> = { provider: this.provider.name, region: ready.region, size: ready.size, name: ready.name };
      if (rootPassword === undefined) details.root_password = 'set by the agent that created the instance; log in with your SSH key';
      return {
        kind: 'provisioned',
        instance: {
          externalId: ready.id,
          ipAddress: ready.ipv4,
          ipv6Address: ready.ipv6,
          sshPort: 22,
          ...(rootPassword !== undefined ? { rootPassword } : {}),
          additionalDetails: details,
        },
      };
    } catch (err) {
      throw asProvisionError(err, `${this.config.provider} provisioning`);
    }
  }

  async terminate(externalId: string, o: OpOptions = {}, contractId?: string): Promise<void> {
    try {
      const inst = await this.provider.getInstance(externalId, o);
      if (!inst) return;
      const owner = contractIdFromLabels(inst.labels);
      if (!owner) throw new ProvisionError(`${this.config.provider} instance ${externalId} was not made by the ferry agent; refusing to destroy it`, false);
      if (contractId && owner !== contractId.toLowerCase()) return; // the id names another contract's server now
      await this.provider.destroyInstance(externalId, o);
    } catch (err) {
      throw asProvisionError(err, `terminating ${this.config.provider} instance ${externalId}`);
    }
  }

  async healthCheck(externalId: string, o: OpOptions = {}, contractId?: string): Promise<HealthResult> {
    const started = Date.now();
    const inst = await this.provider.getInstance(externalId, o);
    const latencyMs = Date.now() - started;
    if (!inst) return { status: 'unhealthy', details: `the server vanished: ${this.provider.name} has no instance ${externalId} any more (deleted outside the agent)`, latencyMs };
    const owner = contractIdFromLabels(inst.labels);
    if (contractId && owner !== contractId.toLowerCase()) {
      return { status: 'unhealthy', details: `the server vanished: ${this.provider.name} id ${externalId} now names another server (${inst.name}${owner ? `, contract ${owner}` : ', not made by the agent'})`, latencyMs };
    }
    return inst.status.state === 'active'
      ? { status: 'healthy', details: `${inst.status.raw}${inst.ipv4 ? ` at ${inst.ipv4}` : ''}`, latencyMs }
      : { status: 'unhealthy', details: `instance is ${inst.status.raw}`, latencyMs };
  }

  async listRunning(o: OpOptions = {}): Promise<RunningInstance[]> {
    const all = await this.provider.listInstances(o);
    return all.flatMap((i) => {
      const contractId = contractIdFromLabels(i.labels);
      return contractId ? [{ externalId: i.id, contractId }] : [];
    });
  }
}
