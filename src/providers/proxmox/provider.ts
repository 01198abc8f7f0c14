import {
  byCodeUnits,
  BaseProvider,
  CREATE_ID_KEY,
  hasLabels,
  isManaged,
  listChoices,
  mapLimit,
  MANAGED_BY_KEY,
  MANAGED_BY_VALUE,
  pollUntil,
  ProviderError,
  resolveTimeouts,
  UserError,
  type Image,
  type Instance,
  type InstanceRequest,
  type ListOptions,
  type OperationOptions,
  type ProviderConfig,
  type Region,
  type Size,
  type Snapshot,
} from '../../core/index.js';
import { PROXMOX_SERVICES } from './services.js';
import { ProxmoxClient } from './client.js';
import { createVm, planCreate, type CreatePlan } from './create.js';
import { describeTemplate, templatesOf } from './images.js';
import { parseNote, tagsToLabels } from './labels.js';
import { isFerrySnapshot, parseSnapshotId, PROVIDER, SNAPSHOT_MARK, toInstance, toSnapshot } from './mapping.js';
import type { PveClusterResource, PveVmConfig } from './schema.js';
import { readSettings, type ProxmoxSettings } from './settings.js';
import { parseSize, presetSizes, SIZE_HINT } from './sizes.js';

type Req = InstanceRequest & { createId: string };

/** pve-configid: what PVE accepts as a snapshot name. */
const SNAPNAME_RE = /^[a-z][a-z0-9_-]{1,39}$/i;

/**
 * Proxmox VE: VMs cloned from cloud-init templates. Instance ids are VM ids (unique in
 * the cluster); the region is the node. Follows the official PVE API schema (apidoc).
 */
export class ProxmoxProvider extends BaseProvider<ProxmoxProvider, CreatePlan> {
  readonly client: ProxmoxClient;
  readonly settings: ProxmoxSettings;
  /** Where each VM was last seen; VMs can migrate, so a miss is looked up again. */
  private readonly nodeOf = new Map<number, string>();

  constructor(config: ProviderConfig) {
    const timeouts = resolveTimeouts(config.timeouts);
    // The transport's injectable backoff also paces re-sent creates, so tests run both at zero delay.
    const backoff = config.http?.backoffMs;
    super({ name: PROVIDER, services: PROXMOX_SERVICES, timeouts, ...(backoff ? { createBackoffMs: backoff } : {}) });
    this.settings = readSettings(config);
    this.client = new ProxmoxClient({
      url: this.settings.url,
      tokenId: this.settings.tokenId,
      tokenSecret: this.settings.tokenSecret,
      timeouts,
      http: config.http,
      verifyTls: this.settings.verifyTls,
    });
  }

  protected preflight(req: Req, o?: OperationOptions): Promise<CreatePlan> {
    return planCreate(this.client, this.settings, req, o);
  }

  protected async sendCreate(req: Req, o: OperationOptions | undefined, plan: CreatePlan): Promise<Instance> {
    const at = await createVm(this.client, this.settings, req, plan, o);
    this.nodeOf.set(at.vmid, at.node);
    const inst = await this.instanceAt(at.vmid, at.node, o);
    if (!inst) throw new ProviderError({ kind: 'api', provider: PROVIDER, status: 200, message: `VM ${at.vmid} vanished right after it was created` });
    return inst;
  }

  /**
   * After an ambiguous failure BaseProvider looks the create id up before re-sending.
   * A half-made VM (cloned, or configured but not started) must not pass for a finished
   * create, so report none: the re-sent create finds that VM by name and create id and
   * finishes it (createVm converges), cloning nothing twice.
   */
  protected override async findByCreateId(_createId: string, _o?: OperationOptions): Promise<Instance | null> {
    return null;
  }

  async getInstance(id: string, o?: OperationOptions): Promise<Instance | null> {
    const vmid = parseVmid(id);
    if (vmid === null) return null;
    const cached = this.nodeOf.get(vmid);
    if (cached) {
      const inst = await this.instanceAt(vmid, cached, o);
      if (inst) return inst;
    }
    const node = await this.locate(vmid, o);
    if (!node || node === cached) return null;
    return this.instanceAt(vmid, node, o);
  }

  async listInstances(o?: ListOptions): Promise<Instance[]> {
    const vms = (await this.client.clusterVms(o)).filter(
      (r) => r.type === 'qemu' && r.vmid !== undefined && r.node && !(r.template === true || r.template === 1),
    );
    const wanted = vms.filter((r) => {
      const labels = tagsToLabels(r.tags);
      return (o?.all || isManaged(labels)) && hasLabels(labels, o?.labels);
    });
    for (const r of vms) this.nodeOf.set(r.vmid!, r.node!);
    const found = (await mapLimit(wanted, 4, (r) => this.instanceAt(r.vmid!, r.node!, o))).filter((i): i is Instance => i !== null);
    const createId = o?.labels?.[CREATE_ID_KEY];
    if (createId && found.length === 0) return this.untaggedAttempt(vms, createId, o);
    return found.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * A create interrupted between its clone and its config PUT (Ctrl-C or a crash during a long
   * disk copy) left a VM whose create id is only in its description: gc looks creates up by the
   * create-id label, and must find that VM rather than mark the create failed and leak it.
   */
  private async untaggedAttempt(vms: readonly PveClusterResource[], createId: string, o?: ListOptions): Promise<Instance[]> {
    const untagged = vms.filter((r) => tagsToLabels(r.tags)[CREATE_ID_KEY] === undefined);
    const hits = await mapLimit(untagged, 4, async (r) => {
      const config = await this.client.vmConfig(r.node!, r.vmid!, o);
      return parseNote(config?.description)?.createId === createId ? r : null;
    });
    const out: Instance[] = [];
    for (const r of hits) {
      if (!r) continue;
      const inst = await this.instanceAt(r.vmid!, r.node!, o);
      if (!inst) continue;
      inst.labels = { ...inst.labels, [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [CREATE_ID_KEY]: createId };
      if (hasLabels(inst.labels, o?.labels)) out.push(inst);
    }
    return out;
  }

  async destroyInstance(id: string, o?: OperationOptions): Promise<void> {
    const vmid = parseVmid(id);
    if (vmid === null) return;
    const node = await this.locate(vmid, o);
    if (!node) return;
    const status = await this.client.vmStatus(node, vmid, o);
    if (!status) return;
    if (status.status === 'running') {
      o?.onProgress?.({ phase: 'destroy', message: `stopping VM ${vmid}` });
      try {
        const upid = await this.client.stop(node, vmid, o);
        await this.client.waitTask(upid, `stopping VM ${vmid}`, o);
      } catch (err) {
        // "Configuration file … does not exist": removed between the status read and the stop.
        if (ProviderError.is(err, 'not_found')) return void this.nodeOf.delete(vmid);
        throw err;
      }
    }
    o?.onProgress?.({ phase: 'destroy', message: `destroying VM ${vmid}` });
    try {
      const upid = await this.client.destroy(node, vmid, o);
      await this.client.waitTask(upid, `destroying VM ${vmid}`, o);
    } catch (err) {
      if (ProviderError.is(err, 'not_found')) return void this.nodeOf.delete(vmid);
      if (!ProviderError.is(err, 'conflict')) throw err;
      // Locked: most likely our own earlier DELETE, whose answer was lost, is still removing it.
      await this.waitGone(vmid, node, err, o);
    }
    this.nodeOf.delete(vmid);
  }

  async snapshotCreate(instanceId: string, name: string, o?: OperationOptions): Promise<Snapshot> {
    if (!SNAPNAME_RE.test(name)) {
      throw new UserError(`invalid Proxmox snapshot name "${name}"`, 'start with a letter; letters, digits, "-" and "_"; 2-40 characters');
    }
    const vmid = parseVmid(instanceId);
    const node = vmid === null ? null : await this.locate(vmid, o);
    if (vmid === null || !node) throw new ProviderError({ kind: 'not_found', provider: PROVIDER, subject: instanceId, message: `VM ${instanceId} does not exist` });
    try {
      const upid = await this.client.createSnapshot(node, vmid, name, `${SNAPSHOT_MARK}\ncreated by ferry`, o);
      await this.client.waitTask(upid, `snapshot ${name} of VM ${vmid}`, o);
    } catch (err) {
      // "snapshot name 'x' already used": return it if it is ferry's (a repeated create).
      if (!ProviderError.is(err, 'conflict')) throw err;
    }
    const snap = (await this.client.listSnapshots(node, vmid, o)).find((s) => s.name === name);
    if (!snap || !isFerrySnapshot(snap)) {
      throw new ProviderError({ kind: 'conflict', provider: PROVIDER, subject: name, message: `VM ${vmid} already has a snapshot named ${name} that ferry did not make` });
    }
    return toSnapshot(vmid, snap);
  }

  async snapshotList(o?: OperationOptions): Promise<Snapshot[]> {
    const managed = await this.managedVms(o);
    const lists = await mapLimit(managed, 4, async (r) => {
      try {
        return (await this.client.listSnapshots(r.node!, r.vmid!, o)).filter(isFerrySnapshot).map((s) => toSnapshot(r.vmid!, s));
      } catch (err) {
        if (ProviderError.is(err, 'not_found')) return []; // destroyed meanwhile
        throw err;
      }
    });
    return lists.flat();
  }

  async snapshotDelete(id: string, o?: OperationOptions): Promise<void> {
    const ref = parseSnapshotId(id);
    if (!ref) throw new UserError(`invalid Proxmox snapshot id "${id}"`, 'ids are <vmid>/<snapshot name>, as `ferry snapshot ls` shows');
    const node = await this.locate(ref.vmid, o);
    if (!node) return;
    const upid = await this.client.deleteSnapshot(node, ref.vmid, ref.name, o);
    if (!upid) return;
    try {
      await this.client.waitTask(upid, `deleting snapshot ${id}`, o);
    } catch (err) {
      if (!ProviderError.is(err, 'not_found')) throw err; // "snapshot 'x' does not exist": already gone
    }
  }

  async listRegions(o?: OperationOptions): Promise<Region[]> {
    const nodes = await this.client.listNodes(o);
    return nodes.map((n) => ({ id: n.node, name: n.node, available: n.status === 'online' })).sort((a, b) => byCodeUnits(a.id, b.id));
  }

  async listSizes(_o?: OperationOptions): Promise<Size[]> {
    return presetSizes();
  }

  async listImages(o?: OperationOptions): Promise<Image[]> {
    return templatesOf(await this.client.clusterVms(o)).map(describeTemplate);
  }

  async checkSize(size: string, _o?: OperationOptions): Promise<void> {
    if (!parseSize(size)) throw new UserError(`invalid Proxmox size "${size}"`, SIZE_HINT);
  }

  async checkRegion(region: string, o?: OperationOptions): Promise<void> {
    const nodes = await this.client.listNodes(o);
    if (!nodes.some((n) => n.node === region)) {
      throw new UserError(`unknown Proxmox node "${region}"; nodes: ${listChoices(nodes.map((n) => n.node))}`);
    }
  }

  async checkCredentials(o?: OperationOptions): Promise<void> {
    await this.client.version(o);
  }

  private async waitGone(vmid: number, node: string, cause: ProviderError, o?: OperationOptions): Promise<void> {
    await pollUntil({
      provider: PROVIDER,
      operation: `waiting for VM ${vmid} to be removed (${cause.message})`,
      timeoutMs: this.timeouts.actionCompleteMs,
      intervalMs: this.timeouts.pollIntervalMs,
      signal: o?.signal,
      check: async () => ((await this.client.vmStatus(node, vmid, o)) ? undefined : true),
    });
  }

  /** The VM's node: from the cluster's resource list (one request for the whole cluster). */
  async locate(vmid: number, o?: OperationOptions): Promise<string | null> {
    const r = (await this.client.clusterVms(o)).find((x) => x.type === 'qemu' && x.vmid === vmid && x.node);
    if (!r) {
      this.nodeOf.delete(vmid);
      return null;
    }
    this.nodeOf.set(vmid, r.node!);
    return r.node!;
  }

  private async managedVms(o?: OperationOptions): Promise<PveClusterResource[]> {
    return (await this.client.clusterVms(o)).filter(
      (r) => r.type === 'qemu' && r.vmid !== undefined && r.node && isManaged(tagsToLabels(r.tags)) && !(r.template === true || r.template === 1),
    );
  }

  /** status + config (+ guest agent addresses once running): null when the VM is not on that node. */
  async instanceAt(vmid: number, node: string, o?: OperationOptions): Promise<Instance | null> {
    const [status, config] = await Promise.all([this.client.vmStatus(node, vmid, o), this.client.vmConfig(node, vmid, o)]);
    if (!status || !config) return null;
    const agent = status.status === 'running' && !status.lock && (agentEnabled(config) || agentReported(status)) ? await this.client.agentInterfaces(node, vmid, o) : null;
    const inst = toInstance({ vmid, node, status, config, agent });
    if (!inst.ipv4) inst.ipv4 = staticIpv4(config.ipconfig0);
    return inst;
  }
}

function parseVmid(id: string): number | null {
  return /^\d{3,9}$/.test(id.trim()) ? Number(id.trim()) : null;
}

/** agent: "[enabled=]<1|0>[,…]" */
function agentEnabled(config: PveVmConfig): boolean {
  const a = config.agent;
  if (a === undefined) return false;
  return /^(?:enabled=)?1\b/.test(String(a)) || /(?:^|,)enabled=1\b/.test(String(a));
}

/** status/current says `agent: 1` when the VM has an agent configured (the config may be read from a template). */
function agentReported(status: { agent?: boolean | 0 | 1 | string | null }): boolean {
  return status.agent === 1 || status.agent === true || status.agent === '1';
}

/** A static address from cloud-init's ipconfig0 ("ip=10.0.0.5/24,gw=…") when the agent gives none. */
function staticIpv4(ipconfig: string | undefined): string | null {
  const m = /(?:^|,)ip=(\d{1,3}(?:\.\d{1,3}){3})\/\d+/.exec(ipconfig ?? '');
  return m ? m[1]! : null;
}
