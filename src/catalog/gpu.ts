/**
 * One name per GPU model, whatever the provider calls it: "NVIDIA H100 80GB HBM3", "H100",
 * "h100-sxm5" and "gpu_h100x1" are all the H100; an A100's memory tells the 40 and 80 GB cards
 * apart; "RTX 6000" without "Ada" is the Turing Quadro. Filters name a family ("h100"), a
 * variant ("h100-pcie"), and optionally memory and count: `--gpu "a100:80gb:2"`.
 */
import { UserError } from '../core/index.js';

export interface GpuModel {
  /** Stable id: "h100-sxm". */
  id: string;
  /** What tables show: "H100 SXM". */
  name: string;
  /** What a filter names: "h100" matches every H100. */
  family: string;
  /** Memory of one card when the model fixes it (null: several sizes exist). */
  memoryGb: number | null;
  /** Tested in order against the provider's lower-cased words; the first match wins. */
  pattern: RegExp;
}

// Most specific first: "h100 nvl" before "h100", "rtx 6000 ada" before "rtx 6000".
const MODELS: readonly GpuModel[] = [
  { id: 'gh200', name: 'GH200', family: 'gh200', memoryGb: 96, pattern: /\bgh200\b/ },
  { id: 'h200', name: 'H200', family: 'h200', memoryGb: 141, pattern: /\bh200\b/ },
  { id: 'h100-nvl', name: 'H100 NVL', family: 'h100', memoryGb: 94, pattern: /\bh100\W*nvl\b/ },
  { id: 'h100-pcie', name: 'H100 PCIe', family: 'h100', memoryGb: 80, pattern: /\bh100\W*pcie\b/ },
  { id: 'h100-sxm', name: 'H100 SXM', family: 'h100', memoryGb: 80, pattern: /\bh100(\W*sxm\d?|\W*hbm3|x\d+|\b)/ },
  { id: 'a100-80gb', name: 'A100 80GB', family: 'a100', memoryGb: 80, pattern: /\ba100\b.*\b80\s*gb?\b|\ba100\W*80g?\b/ },
  { id: 'a100-40gb', name: 'A100 40GB', family: 'a100', memoryGb: 40, pattern: /\ba100\b.*\b40\s*gb?\b|\ba100\W*40g?\b/ },
  { id: 'a100', name: 'A100', family: 'a100', memoryGb: null, pattern: /\ba100/ },
  { id: 'l40s', name: 'L40S', family: 'l40s', memoryGb: 48, pattern: /\bl40s/ },
  { id: 'l40', name: 'L40', family: 'l40', memoryGb: 48, pattern: /\bl40\b/ },
  { id: 'l4', name: 'L4', family: 'l4', memoryGb: 24, pattern: /\bl4\b/ },
  { id: 'a10g', name: 'A10G', family: 'a10', memoryGb: 24, pattern: /\ba10g\b/ },
  { id: 'a10', name: 'A10', family: 'a10', memoryGb: 24, pattern: /\ba10\b/ },
  { id: 'a40', name: 'A40', family: 'a40', memoryGb: 48, pattern: /\ba40\b/ },
  { id: 'a30', name: 'A30', family: 'a30', memoryGb: 24, pattern: /\ba30\b/ },
  { id: 'a16', name: 'A16', family: 'a16', memoryGb: 16, pattern: /\ba16\b/ },
  { id: 't4', name: 'T4', family: 't4', memoryGb: 16, pattern: /\bt4\b/ },
  { id: 'v100', name: 'V100', family: 'v100', memoryGb: null, pattern: /\bv100/ },
  { id: 'rtx-6000-ada', name: 'RTX 6000 Ada', family: 'rtx-6000-ada', memoryGb: 48, pattern: /\b(rtx\W*)?6000\W*ada\b/ },
  { id: 'rtx-4000-ada', name: 'RTX 4000 Ada', family: 'rtx-4000-ada', memoryGb: 20, pattern: /\b(rtx\W*)?4000\W*ada\b/ },
  { id: 'rtx-a6000', name: 'RTX A6000', family: 'rtx-a6000', memoryGb: 48, pattern: /\b(rtx\W*)?a6000\b/ },
  { id: 'rtx-a5000', name: 'RTX A5000', family: 'rtx-a5000', memoryGb: 24, pattern: /\b(rtx\W*)?a5000\b/ },
  { id: 'rtx-a4000', name: 'RTX A4000', family: 'rtx-a4000', memoryGb: 16, pattern: /\b(rtx\W*)?a4000\b/ },
  { id: 'rtx-4090', name: 'RTX 4090', family: 'rtx-4090', memoryGb: 24, pattern: /\b(rtx\W*)?4090\b/ },
  { id: 'rtx-3090', name: 'RTX 3090', family: 'rtx-3090', memoryGb: 24, pattern: /\b(rtx\W*)?3090\b/ },
  { id: 'rtx-6000', name: 'RTX 6000 (Turing)', family: 'rtx-6000', memoryGb: 24, pattern: /\b(quadro\W*)?rtx\W*6000\b/ },
  { id: 'mi300x', name: 'MI300X', family: 'mi300x', memoryGb: 192, pattern: /\bmi300x?\b/ },
  { id: 'mi250', name: 'MI250', family: 'mi250', memoryGb: 128, pattern: /\bmi250x?\b/ },
];

export function gpuModels(): readonly GpuModel[] {
  return MODELS;
}

export interface NormalisedGpu {
  /** The table's id, or null for a model the table does not know (its raw name is kept). */
  id: string | null;
  name: string;
  family: string;
  memoryGb: number | null;
}

/** The canonical model of a provider's GPU string; memory from the offer wins over the table's. */
export function normaliseGpu(raw: string, memoryGb?: number | null): NormalisedGpu {
  const text = raw.toLowerCase().replace(/[_]/g, ' ');
  let model = MODELS.find((m) => m.pattern.test(text));
  // An A100 named without its memory is told apart by the memory the provider gives.
  if (model?.id === 'a100' && memoryGb) model = MODELS.find((m) => m.id === (memoryGb > 40 ? 'a100-80gb' : 'a100-40gb'));
  if (!model) return { id: null, name: raw, family: text.trim(), memoryGb: memoryGb ?? null };
  return { id: model.id, name: model.name, family: model.family, memoryGb: memoryGb ?? model.memoryGb };
}

export interface GpuFilter {
  /** A family ("h100") or a variant id ("h100-pcie"). */
  model?: string;
  /** At least this much memory per card. */
  memoryGb?: number;
  /** At least this many cards. */
  count?: number;
}

/** "h100", "a100:80gb:2", "l4::4", "RTX 4090" → a filter; an unknown model is a UserError naming the known ones. */
export function parseGpuFilter(spec: string, flag = '--gpu'): GpuFilter {
  const [model = '', memory = '', count = '', ...rest] = spec.split(':').map((s) => s.trim());
  if (rest.length) throw new UserError(`${flag} ${spec} has too many parts`, 'use model[:memory[:count]], e.g. a100:80gb:2');
  const out: GpuFilter = {};
  if (model) out.model = resolveModel(model, flag);
  if (memory) {
    const m = /^(\d+(?:\.\d+)?)\s*(gb|g)?$/i.exec(memory);
    if (!m) throw new UserError(`${flag} memory "${memory}" is not a size in GB`, 'e.g. a100:80gb');
    out.memoryGb = Number(m[1]);
  }
  if (count) {
    const n = Number(count.replace(/x$/i, ''));
    if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} count "${count}" must be a whole number ≥ 1`, 'e.g. a100:80gb:2');
    out.count = n;
  }
  if (!out.model && out.memoryGb === undefined && out.count === undefined) throw new UserError(`${flag} must name a GPU model`, `known: ${knownFamilies()}`);
  return out;
}

function resolveModel(text: string, flag: string): string {
  const t = text.toLowerCase().replace(/[\s_]+/g, '-');
  const byId = MODELS.find((m) => m.id === t || m.family === t);
  if (byId) return byId.id === t ? byId.id : byId.family;
  const n = normaliseGpu(text);
  if (n.id) return n.id === 'a100' || MODELS.filter((m) => m.family === n.family).length === 1 || !/sxm|pcie|nvl|\d+\s*gb/i.test(text) ? n.family : n.id;
  throw new UserError(`${flag}: unknown GPU model "${text}"`, `known: ${knownFamilies()}`);
}

function knownFamilies(): string {
  return [...new Set(MODELS.map((m) => m.family))].join(', ');
}

/** Whether an offer's GPU satisfies the filter; unknown memory never satisfies a memory filter. */
export function gpuMatches(raw: string | null, count: number, memoryGb: number | null | undefined, f: GpuFilter): boolean {
  if (!raw && count === 0) return false;
  const g = normaliseGpu(raw ?? '', memoryGb);
  if (f.model && g.family !== f.model && g.id !== f.model) return false;
  if (f.memoryGb !== undefined && (g.memoryGb === null || g.memoryGb < f.memoryGb)) return false;
  if (f.count !== undefined && count < f.count) return false;
  return true;
}

export function describeGpuFilter(f: GpuFilter): string {
  const model = f.model ? (MODELS.find((m) => m.id === f.model)?.name ?? f.model.toUpperCase()) : 'GPU';
  return [f.count && f.count > 1 ? `${f.count}×` : '', model, f.memoryGb ? ` ${f.memoryGb} GB` : ''].join('').trim();
}
