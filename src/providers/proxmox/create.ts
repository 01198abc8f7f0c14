import {
  CREATE_ID_KEY,
  ferryLabels,
  isPublicKey,
  listChoices,
  pollUntil,
  ProviderError,
  UserError,
  type InstanceRequest,
  type OperationOptions,
} from '../../core/index.js';
import { PveTaskError, type ProxmoxClient } from './client.js';
import { resolveImage, type CloneSource } from './images.js';
import { formatNote, mergeTags, parseNote, tagsToLabels } from './labels.js';
import { PROVIDER } from './mapping.js';
import type { PveClusterResource } from './schema.js';
import type { ProxmoxSettings } from './settings.js';
import { parseSize, SIZE_HINT, type VmShape } from './sizes.js';
import { vmidCandidates } from './vmid.js';

type Req = InstanceRequest & { createId: string };

/** What preflight settled, so the create itself sends no lookups it already made. */
export interface CreatePlan {
  node: string;
  shape: VmShape;
  source: CloneSource;
}


/** Checks that need no network, then the node and the image against the cluster. No create is sent. */
export async function planCreate(client: ProxmoxClient, s: ProxmoxSettings, req: Req, o?: OperationOptions): Promise<CreatePlan> {
  if (req.userData) {
    throw new UserError(
      'Proxmox cannot take raw cloud-init user data through its API (snippets are not an upload content type)',
      'place a snippet on a storage with "snippets" content and set PROXMOX_CICUSTOM=user=<storage>:snippets/<file> (the option cicustom in code); pass SSH keys with --ssh-key',
    );
  }
  for (const key of req.sshKeys ?? []) {
    if (!isPublicKey(key)) {
      throw new UserError(`"${key.slice(0, 40)}" is not an OpenSSH public key`, 'Proxmox has no key store: pass the public key itself, e.g. "ssh-ed25519 AAAA… you@host"');
    }
  }
  const shape = parseSize(req.size);
  if (!shape) throw new UserError(`invalid Proxmox size "${req.size}"`, SIZE_HINT, { field: 'size' });

  const nodes = await client.listNodes(o);
  const node = nodes.find((n) => n.node === req.region);
  const online = nodes.filter((n) => n.status === 'online').map((n) => n.node);
  if (!node) throw new UserError(`unknown Proxmox node "${req.region}"; nodes: ${listChoices(nodes.map((n) => n.node))}`, 'the region of a Proxmox VM is its node', { field: 'region', choices: nodes.map((n) => n.node) });
  if (node.status !== 'online') throw new UserError(`Proxmox node "${req.region}" is ${node.status}; online: ${listChoices(online)}`, undefined, { field: 'region', choices: online });
  if (node.maxcpu && shape.cores > node.maxcpu) throw new UserError(`size ${req.size} needs ${shape.cores} cores; node ${node.node} has ${node.maxcpu}`, SIZE_HINT, { field: 'size' });
  if (node.maxmem && shape.memoryMb * 1024 * 1024 > node.maxmem) {
    throw new UserError(`size ${req.size} needs ${shape.memoryMb} MiB; node ${node.node} has ${Math.floor(node.maxmem / 1024 / 1024)} MiB`, SIZE_HINT, { field: 'size' });
  }
  const resources = await client.clusterVms(o);
  const source = resolveImage(req.image, node.node, resources, s.templateVmid);
  if (source.snapname) {
    const snaps = await client.listSnapshots(source.node, source.vmid, o);
    if (!snaps.some((x) => x.name === source.snapname)) {
      throw new UserError(`VM ${source.vmid} has no snapshot "${source.snapname}"; it has: ${listChoices(snaps.filter((x) => x.name !== 'current').map((x) => x.name))}`);
    }
  }
  return { node: node.node, shape, source };
}

const isGuest = (r: PveClusterResource) => (r.type === 'qemu' || r.type === 'lxc') && r.vmid !== undefined;

/**
 * One create: find this create's earlier attempt by name (its clone carries the create id in
 * its description from the first moment), else clone onto the name's deterministic VM id;
 * then bring the VM to the wanted state (configured, tagged, started). Every step checks
 * before it acts, so re-running after any failure converges instead of duplicating.
 */
export async function createVm(client: ProxmoxClient, s: ProxmoxSettings, req: Req, plan: CreatePlan, o?: OperationOptions): Promise<{ vmid: number; node: string }> {
  for (let round = 0; ; round++) {
    const resources = await client.clusterVms(o);
    const earlier = await findEarlierAttempt(client, req, resources, o);
    if (earlier) return converge(client, s, req, plan, earlier, o);

    const taken = new Set(resources.filter(isGuest).map((r) => r.vmid!));
    let vmid: number | undefined;
    for (const c of vmidCandidates(req.name, s.vmidRange)) {
      if (!taken.has(c)) {
        vmid = c;
        break;
      }
    }
    if (vmid === undefined) throw new ProviderError({ kind: 'capacity', provider: PROVIDER, message: `no free VM id for ${req.name} in ${s.vmidRange.min}-${s.vmidRange.max}` });

    o?.onProgress?.({ phase: 'create', message: `${req.name}: cloning ${plan.source.label} to VM ${vmid}` });
    try {
      const upid = await client.clone(plan.source.node, plan.source.vmid, {
        newid: vmid,
        name: req.name,
        description: formatNote({ createId: req.createId, created: new Date().toISOString(), image: plan.source.label }),
        full: plan.source.snapname ? true : s.fullClone,
        storage: s.storage,
        pool: s.pool,
        target: plan.node !== plan.source.node ? plan.node : undefined,
        snapname: plan.source.snapname,
      }, o);
      await client.waitTask(upid, `cloning ${plan.source.label} to VM ${vmid}`, o);
    } catch (err) {
      // Someone took the id between our look and our clone: look again (bounded).
      if (ProviderError.is(err, 'conflict') && round < 3) continue;
      throw err;
    }
    return converge(client, s, req, plan, { vmid, node: plan.node }, o);
  }
}

/** A VM with this name made by this create id; a same-named VM made by anything else is a conflict. */
async function findEarlierAttempt(client: ProxmoxClient, req: Req, resources: readonly PveClusterResource[], o?: OperationOptions): Promise<{ vmid: number; node: string } | null> {
  for (const r of resources) {
    if (r.type !== 'qemu' || r.name !== req.name || r.template === true || r.template === 1 || !r.node) continue;
    if (tagsToLabels(r.tags)[CREATE_ID_KEY] === req.createId) return { vmid: r.vmid!, node: r.node };
    const config = await client.vmConfig(r.node, r.vmid!, o);
    if (!config) continue;
    if (parseNote(config.description)?.createId === req.createId) return { vmid: r.vmid!, node: r.node };
    throw new ProviderError({
      kind: 'conflict',
      provider: PROVIDER,
      subject: req.name,
      message: `a VM named ${req.name} already exists (VM ${r.vmid} on ${r.node}); instance names must be unique`,
    });
  }
  return null;
}

async function converge(client: ProxmoxClient, s: ProxmoxSettings, req: Req, plan: CreatePlan, at: { vmid: number; node: string }, o?: OperationOptions): Promise<{ vmid: number; node: string }> {
  const { vmid, node } = at;
  const status = await pollUntil({
    provider: PROVIDER,
    operation: `waiting for the clone of VM ${vmid} to finish`,
    timeoutMs: client.timeouts.actionCompleteMs,
    intervalMs: client.timeouts.pollIntervalMs,
    signal: o?.signal,
    check: async () => {
      const st = await client.vmStatus(node, vmid, o);
      if (!st) throw new ProviderError({ kind: 'api', provider: PROVIDER, subject: String(vmid), message: `VM ${vmid} vanished while it was being created` });
      return st.lock === 'clone' || st.lock === 'create' ? undefined : st;
    },
  });
  const labels = ferryLabels(req);
  if (tagsToLabels(status.tags)[CREATE_ID_KEY] !== req.createId) {
    // One PUT writes the tags with everything else: tags present means the config is applied.
    o?.onProgress?.({ phase: 'create', message: `${req.name}: writing cloud-init config of VM ${vmid}` });
    await client.updateConfig(node, vmid, {
      name: req.name,
      tags: mergeTags(status.tags, labels),
      cores: plan.shape.cores,
      memory: plan.shape.memoryMb,
      agent: '1', // IP discovery goes through the guest agent
      ciuser: s.ciuser,
      sshkeys: req.sshKeys?.length ? encodeSshKeys(req.sshKeys) : undefined,
      ipconfig0: s.ipconfig0,
      nameserver: s.nameserver,
      cicustom: s.cicustom,
    }, o);
  }
  if (status.status !== 'running') {
    o?.onProgress?.({ phase: 'boot', message: `${req.name}: starting VM ${vmid}` });
    let upid: string;
    try {
      upid = await client.start(node, vmid, o);
    } catch (err) {
      // An earlier attempt's start got there first.
      if (ProviderError.is(err, 'conflict') && err.subject === 'already_running') return at;
      throw err;
    }
    try {
      await client.waitTask(upid, `starting VM ${vmid}`, o);
    } catch (err) {
      // A VM that cannot start (no memory on the node) is removed, so the failed create leaves nothing behind.
      if (err instanceof PveTaskError) await discard(client, node, vmid, o);
      throw err;
    }
  }
  return at;
}

async function discard(client: ProxmoxClient, node: string, vmid: number, o?: OperationOptions): Promise<void> {
  try {
    await client.waitTask(await client.destroy(node, vmid, o), `removing VM ${vmid} after its failed start`, o);
  } catch {
    // Best effort: the start failure is what the caller needs to hear; gc finds a leftover by its labels.
  }
}

/**
 * PVE wants the sshkeys value URL-encoded on top of the form encoding, with spaces as %20
 * (encodeURIComponent's flavour; a '+' for a space is rejected).
 */
export function encodeSshKeys(keys: readonly string[]): string {
  return encodeURIComponent(keys.map((k) => k.trim()).join('\n'));
}
