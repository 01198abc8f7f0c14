/**
 * The Proxmox VE provisioner, through ferry's ProxmoxClient: the seed's flow (clone the
 * template → cloud-init config with the requester's SSH key, a root password, cores and
 * memory → start → read the address from the guest agent).
 *
 * Crash safety: the VM name comes from the contract id and its VM id from the name
 * (vmidCandidates), and the clone carries the contract id in its description from the first
 * moment. A re-run finds the earlier attempt by name and finishes it; the one config PUT
 * writes the tags together with everything else, so tags present means configured.
 */
import { ProviderError, pollUntil, timeoutsForScale, type ProviderTimeouts } from '../../core/index.js';
import { CREATE_ID_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE } from '../../core/labels.js';
import { ProxmoxClient, encodeSshKeys, vmidCandidates } from '../../providers/proxmox/index.js';
import { formatNote, mergeTags, parseNote, tagsToLabels } from '../../providers/proxmox/labels.js';
import type { PveClusterResource } from '../../providers/proxmox/schema.js';
import type { ProxmoxProvisionerConfig } from '../config.js';
import { contractIdFromLabels, contractLabels, instanceNameFor, type ProvisionRequest } from '../contract.js';
import { derivePassword, PASSWORD_LABEL, passwordFingerprint, reportablePassword } from './passwords.js';
import { ProvisionError, type HealthResult, type InstanceInfo, type OpOptions, type ProvisionOutcome, type Provisioner, type RunningInstance } from './types.js';

export interface ProxmoxProvisionerOptions {
  passwordSeed: Uint8Array;
  client?: ProxmoxClient;
  timeouts?: Partial<ProviderTimeouts>;
  /** The PVE's clock speed-up (a time-scaled emulator): polls and retries follow it. */
  timeScale?: number;
  /** How long to wait for the guest agent to report an address; 0 skips the wait. */
  addressWaitMs?: number;
}

const NAME_RE = /^dc-[0-9a-z]{20}$/;
const CONTRACT_LINE = 'contract: ';

export class ProxmoxProvisioner implements Provisioner {
  readonly type = 'proxmox' as const;
  readonly client: ProxmoxClient;

  constructor(
    private readonly config: ProxmoxProvisionerConfig,
    private readonly options: ProxmoxProvisionerOptions,
  ) {
    this.client =
      options.client ??
      new ProxmoxClient({
        url: config.apiUrl,
        tokenId: config.tokenId,
        tokenSecret: config.tokenSecret,
        verifyTls: config.verifySsl,
        timeouts: { ...timeoutsForScale(options.timeScale), ...options.timeouts },
        ...(options.timeScale ? { http: { timeScale: options.timeScale } } : {}),
      });
  }

  async provision(req: ProvisionRequest, o: OpOptions = {}): Promise<ProvisionOutcome> {
    try {
      return await this.provisionVm(req, o);
    } catch (err) {
      throw asProvisionError(err, 'proxmox provisioning');
    }
  }

  private async provisionVm(req: ProvisionRequest, o: OpOptions): Promise<ProvisionOutcome> {
    const c = this.config;
    const name = instanceNameFor(req.contractId);
    const labels = { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [CREATE_ID_KEY]: name, ...contractLabels(req.contractId) };
    const resources = await this.client.clusterVms(o);
    let at = await this.earlierAttempt(name, req.contractId, resources, o);
    if (!at) {
      const template = resources.find((r) => r.vmid === c.templateVmid);
      if (!template?.node) throw new ProvisionError(`template VM ${c.templateVmid} not found in the cluster`, false);
      const taken = new Set(resources.filter((r) => r.vmid !== undefined).map((r) => r.vmid!));
      const vmid = [...vmidCandidates(name)].find((id) => !taken.has(id));
      if (vmid === undefined) throw new ProvisionError(`no free VM id for ${name}`, true);
      const upid = await this.client.clone(template.node, c.templateVmid, {
        newid: vmid,
        name,
        description: `${formatNote({ createId: name, created: new Date().toISOString(), image: `template ${c.templateVmid}` })}\n${CONTRACT_LINE}${req.contractId}`,
        full: c.fullClone,
        ...(c.storage ? { storage: c.storage } : {}),
        ...(c.pool ? { pool: c.pool } : {}),
        ...(template.node !== c.node ? { target: c.node } : {}),
      }, o);
      await this.client.waitTask(upid, `cloning template ${c.templateVmid} to VM ${vmid}`, o);
      at = { vmid, node: c.node };
    }
    const { vmid, node } = at;
    const status = await pollUntil({
      provider: 'proxmox',
      operation: `waiting for the clone of VM ${vmid}`,
      timeoutMs: this.client.timeouts.actionCompleteMs,
      intervalMs: this.client.timeouts.pollIntervalMs,
      signal: o.signal,
      check: async () => {
        const st = await this.client.vmStatus(node, vmid, o);
        if (!st) throw new ProvisionError(`VM ${vmid} vanished while it was being created`, true);
        return st.lock === 'clone' || st.lock === 'create' ? undefined : st;
      },
    });
    const password = derivePassword(this.options.passwordSeed, req.contractId);
    const fingerprinted = { ...labels, [PASSWORD_LABEL]: passwordFingerprint(password) };
    const tagged = tagsToLabels(status.tags);
    let rootPassword: string | undefined = password;
    if (contractIdFromLabels(tagged) === req.contractId.toLowerCase() && reportablePassword(tagged, password) === undefined) {
      // Configured by another agent (a takeover) with its own password. Before the first boot cloud-init
      // has not applied it yet, so ours replaces it; once running, only that agent's password opens it.
      if (status.status !== 'running') await this.client.updateConfig(node, vmid, { tags: mergeTags(status.tags, fingerprinted), cipassword: password }, o);
      else rootPassword = undefined;
    }
    if (contractIdFromLabels(tagged) !== req.contractId.toLowerCase()) {
      await this.client.updateConfig(node, vmid, {
        tags: mergeTags(status.tags, fingerprinted),
        ...(req.cpuCores ? { cores: req.cpuCores } : {}),
        ...(req.memoryMb ? { memory: Math.max(16, req.memoryMb) } : {}),
        agent: '1',
        ciuser: 'root',
        cipassword: password,
        sshkeys: req.requesterSshPubkey.trim() ? encodeSshKeys([req.requesterSshPubkey]) : undefined,
        ipconfig0: c.ipConfig,
      }, o);
    }
    if (status.status !== 'running') {
      await this.client.waitTask(await this.client.start(node, vmid, o), `starting VM ${vmid}`, o);
    }
    const instance: InstanceInfo = { externalId: String(vmid), sshPort: 22, ...(rootPassword !== undefined ? { rootPassword } : {}), ...(await this.addresses(node, vmid, o)) };
    instance.additionalDetails = rootPassword !== undefined ? { node, vmid, name } : { node, vmid, name, root_password: 'set by the agent that created the VM; log in with your SSH key' };
    return { kind: 'provisioned', instance };
  }

  /** The VM a previous run made for this contract; a same-named VM made by anything else is a conflict. */
  private async earlierAttempt(name: string, contractId: string, resources: readonly PveClusterResource[], o: OpOptions): Promise<{ vmid: number; node: string } | null> {
    for (const r of resources) {
      if (r.type !== 'qemu' || r.name !== name || r.template === 1 || r.template === true || !r.node || r.vmid === undefined) continue;
      if (contractIdFromLabels(tagsToLabels(r.tags)) === contractId.toLowerCase()) return { vmid: r.vmid, node: r.node };
      const config = await this.client.vmConfig(r.node, r.vmid, o);
      if (config && contractFromDescription(config.description) === contractId) return { vmid: r.vmid, node: r.node };
      throw new ProvisionError(`a VM named ${name} (VM ${r.vmid}) exists but was not made for contract ${contractId}`, false);
    }
    return null;
  }

  private async addresses(node: string, vmid: number, o: OpOptions): Promise<Pick<InstanceInfo, 'ipAddress' | 'ipv6Address'>> {
    const waitMs = this.options.addressWaitMs ?? this.client.timeouts.instanceReadyMs;
    if (waitMs <= 0) return {};
    try {
      return await pollUntil({
        provider: 'proxmox',
        operation: `waiting for the guest agent of VM ${vmid} to report an address`,
        timeoutMs: waitMs,
        intervalMs: this.client.timeouts.pollIntervalMs,
        signal: o.signal,
        check: async () => {
          const ifaces = await this.client.agentInterfaces(node, vmid, o);
          const addrs = (ifaces?.result ?? []).filter((i) => i.name !== 'lo').flatMap((i) => i['ip-addresses'] ?? []);
          const v4 = addrs.find((a) => a['ip-address-type'] === 'ipv4' && !a['ip-address'].startsWith('127.'));
          if (!v4) return undefined;
          const v6 = addrs.find((a) => a['ip-address-type'] === 'ipv6' && !/^(fe80|::1)/i.test(a['ip-address']));
          return { ipAddress: v4['ip-address'], ipv6Address: v6?.['ip-address'] ?? null };
        },
      });
    } catch (err) {
      // No guest agent in the template: the VM is fine, its address is just not known to PVE.
      if (ProviderError.is(err, 'timeout')) return { ipAddress: null, ipv6Address: null };
      throw err;
    }
  }

  async terminate(externalId: string, o: OpOptions = {}, contractId?: string): Promise<void> {
    try {
      const vm = await this.findOwn(externalId, o);
      // Gone, or the VMID was reused: only a VM whose tags (or, before they were set, clone note) name this contract is its.
      if (!vm || (contractId && (await this.contractOf(vm, o)) !== contractId.toLowerCase())) return;
      const status = await this.client.vmStatus(vm.node, vm.vmid, o);
      if (!status) return;
      if (status.status === 'running') await this.client.waitTask(await this.client.stop(vm.node, vm.vmid, o), `stopping VM ${vm.vmid}`, o);
      await this.client.waitTask(await this.client.destroy(vm.node, vm.vmid, o), `destroying VM ${vm.vmid}`, o);
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return;
      throw asProvisionError(err, `terminating VM ${externalId}`);
    }
  }

  /** Only VMs this agent made (ferry's tags or its clone note) are ever stopped or destroyed. */
  private async findOwn(externalId: string, o: OpOptions): Promise<{ vmid: number; node: string; resource: PveClusterResource } | null> {
    const vmid = Number(externalId);
    if (!Number.isInteger(vmid)) throw new ProvisionError(`not a Proxmox VM id: ${externalId}`, false);
    const r = (await this.client.clusterVms(o)).find((x) => x.vmid === vmid && x.type === 'qemu');
    if (!r?.node) return null;
    const own = tagsToLabels(r.tags)[MANAGED_BY_KEY] === MANAGED_BY_VALUE || contractFromDescription((await this.client.vmConfig(r.node, vmid, o))?.description) !== null;
    if (!own || r.template === 1 || r.template === true) throw new ProvisionError(`VM ${vmid} was not made by the ferry agent; refusing to destroy it`, false);
    return { vmid, node: r.node, resource: r };
  }

  private async contractOf(vm: { vmid: number; node: string; resource: PveClusterResource }, o: OpOptions): Promise<string | null> {
    return contractIdFromLabels(tagsToLabels(vm.resource.tags)) ?? contractFromDescription((await this.client.vmConfig(vm.node, vm.vmid, o))?.description)?.toLowerCase() ?? null;
  }

  async healthCheck(externalId: string, o: OpOptions = {}, contractId?: string): Promise<HealthResult> {
    const started = Date.now();
    const r = (await this.client.clusterVms(o)).find((x) => x.vmid === Number(externalId) && x.type === 'qemu');
    if (!r?.node) return { status: 'unhealthy', details: `the server vanished: VM ${externalId} does not exist any more (deleted outside the agent)`, latencyMs: Date.now() - started };
    if (contractId && !madeFor(r, contractId)) {
      const owner = contractIdFromLabels(tagsToLabels(r.tags));
      return { status: 'unhealthy', details: `the server vanished: VMID ${externalId} now names another VM (${r.name ?? 'unnamed'}${owner ? `, contract ${owner}` : ', not made by the agent'})`, latencyMs: Date.now() - started };
    }
    const st = await this.client.vmStatus(r.node, Number(externalId), o);
    const latencyMs = Date.now() - started;
    if (!st) return { status: 'unhealthy', details: `VM ${externalId} does not exist`, latencyMs };
    const run = st.qmpstatus ?? st.status;
    return run === 'running'
      ? { status: 'healthy', details: `running on ${r.node}, up ${st.uptime ?? 0} s`, latencyMs }
      : { status: 'unhealthy', details: `VM is ${run}${st.lock ? ` (locked: ${st.lock})` : ''}`, latencyMs };
  }

  async listRunning(o: OpOptions = {}): Promise<RunningInstance[]> {
    const out: RunningInstance[] = [];
    for (const r of await this.client.clusterVms(o)) {
      if (r.type !== 'qemu' || r.vmid === undefined || r.template === 1 || r.template === true) continue;
      const labels = tagsToLabels(r.tags);
      const fromTags = contractIdFromLabels(labels);
      if (fromTags && labels[MANAGED_BY_KEY] === MANAGED_BY_VALUE) {
        out.push({ externalId: String(r.vmid), contractId: fromTags });
      } else if (r.name && NAME_RE.test(r.name) && r.node) {
        // Cloned but not yet configured when its agent died: only the description says whose it is.
        const contractId = contractFromDescription((await this.client.vmConfig(r.node, r.vmid, o))?.description);
        if (contractId) out.push({ externalId: String(r.vmid), contractId });
      }
    }
    return out;
  }
}

/** A VMID is reused once freed: a VM whose tags name another contract (or no ferry VM at all, under another name) is not this contract's. */
function madeFor(r: PveClusterResource, contractId: string): boolean {
  const labels = tagsToLabels(r.tags);
  const owner = contractIdFromLabels(labels);
  return owner === contractId.toLowerCase() || (owner === null && labels[MANAGED_BY_KEY] === MANAGED_BY_VALUE) || r.name === instanceNameFor(contractId);
}

function contractFromDescription(description: string | undefined): string | null {
  if (!parseNote(description)) return null;
  const line = description!.split(/\r?\n/).find((l) => l.trim().startsWith(CONTRACT_LINE));
  return line ? line.trim().slice(CONTRACT_LINE.length).trim() || null : null;
}

/** Provider errors keep their retryability; anything else is not worth a blind retry. */
export function asProvisionError(err: unknown, what: string): ProvisionError {
  if (err instanceof ProvisionError) return err;
  if (err instanceof ProviderError) {
    const retry = err.retryable || err.kind === 'capacity' || err.kind === 'conflict' || err.kind === 'cancelled';
    return new ProvisionError(`${what}: ${err.describe()}`, retry, { cause: err });
  }
  return new ProvisionError(`${what}: ${(err as Error)?.message ?? String(err)}`, false, { cause: err });
}
