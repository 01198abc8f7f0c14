import { formatImageSpec, listChoices, UserError, type Image, type ImageSpec } from '../../core/index.js';
import type { PveClusterResource } from './schema.js';

/** A template VM (template=1) somewhere in the cluster. */
export interface TemplateVm {
  vmid: number;
  name: string;
  node: string;
}

/** What a create clones: a template, or a snapshot of a VM. */
export interface CloneSource {
  vmid: number;
  node: string;
  label: string;
  snapname?: string;
}

export function templatesOf(resources: readonly PveClusterResource[]): TemplateVm[] {
  return resources
    .filter((r) => r.type === 'qemu' && (r.template === true || r.template === 1) && r.vmid !== undefined && r.node)
    .map((r) => ({ vmid: r.vmid!, name: r.name ?? `template ${r.vmid}`, node: r.node! }))
    .sort((a, b) => a.vmid - b.vmid);
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** "ubuntu-24.04-cloudinit" → ubuntu 24.04; names ferry cannot read give nulls. */
export function describeTemplate(t: TemplateVm): Image {
  const m = /(ubuntu|debian)[-_ ]?(\d{2}\.\d{2}|\d{1,2})/i.exec(t.name);
  return { id: String(t.vmid), name: t.name, distribution: m ? m[1]!.toLowerCase() : null, version: m ? m[2]! : null };
}

export function templateChoices(templates: readonly TemplateVm[]): string {
  if (templates.length === 0) return 'none (mark a cloud-init VM as a template: qm template <vmid>)';
  return listChoices(templates.map((t) => `${t.name} (${t.vmid})`));
}

/**
 * Maps an image to the template to clone: ubuntu/debian versions by template name
 * ("ubuntu-24.04-cloudinit" serves ubuntu-24.04), custom ids by VM id or exact name
 * ("default" is the configured template), snapshots "<vmid>/<name>" by their VM.
 * Templates on the target node win over copies elsewhere.
 */
export function resolveImage(
  spec: ImageSpec,
  node: string,
  resources: readonly PveClusterResource[],
  defaultTemplate: number | undefined,
): CloneSource {
  const templates = templatesOf(resources);
  const prefer = (list: TemplateVm[]) => list.find((t) => t.node === node) ?? list[0];
  const unknown = (what: string) =>
    new UserError(`unknown Proxmox image ${what}; templates: ${templateChoices(templates)}`, 'pass --image ubuntu-24.04, debian-12, a template VM id, or snapshot:<vmid>/<name>', { field: 'image' });

  if (spec.kind === 'ubuntu' || spec.kind === 'debian') {
    const want = squash(`${spec.kind}${spec.version}`);
    const hit = prefer(templates.filter((t) => squash(t.name).startsWith(want)));
    if (!hit) throw unknown(`"${formatImageSpec(spec)}" (no template named like it)`);
    return { vmid: hit.vmid, node: hit.node, label: `${formatImageSpec(spec)} (template ${hit.vmid})` };
  }
  if (spec.kind === 'snapshot') {
    const m = /^(\d+)\/([a-z][a-z0-9_-]+)$/i.exec(spec.id);
    if (!m) throw new UserError(`snapshot image "${spec.id}" is not <vmid>/<snapshot name>`, 'list them with `ferry snapshot ls --provider proxmox`');
    const vmid = Number(m[1]);
    const vm = resources.find((r) => r.type === 'qemu' && r.vmid === vmid && r.node);
    if (!vm) throw new UserError(`snapshot image "${spec.id}": VM ${vmid} does not exist`);
    return { vmid, node: vm.node!, snapname: m[2]!, label: `snapshot:${spec.id}` };
  }
  const id = spec.id.trim();
  if (id === 'default') {
    if (defaultTemplate === undefined) throw new UserError('image "default" needs a template VM id', 'set PROXMOX_TEMPLATE_VMID');
    const hit = templates.find((t) => t.vmid === defaultTemplate);
    if (!hit) throw unknown(`"default": VM ${defaultTemplate} (PROXMOX_TEMPLATE_VMID) is not a template`);
    return { vmid: hit.vmid, node: hit.node, label: `${hit.name} (template ${hit.vmid})` };
  }
  const hit = /^\d+$/.test(id) ? templates.find((t) => t.vmid === Number(id)) : prefer(templates.filter((t) => t.name === id));
  if (!hit) throw unknown(`"${id}"`);
  return { vmid: hit.vmid, node: hit.node, label: `${hit.name} (template ${hit.vmid})` };
}
