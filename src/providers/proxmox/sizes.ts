import type { Size } from '../../core/index.js';

/** A VM shape: Proxmox sizes are free-form, so ferry names them "<cores>c-<memory>g" ("2c-4g", "1c-512m"). */
export interface VmShape {
  cores: number;
  memoryMb: number;
}

/** Named presets for people who would rather not spell the shape out. */
export const SIZE_PRESETS: Readonly<Record<string, VmShape>> = Object.freeze({
  small: { cores: 1, memoryMb: 2048 },
  medium: { cores: 2, memoryMb: 4096 },
  large: { cores: 4, memoryMb: 8192 },
  xlarge: { cores: 8, memoryMb: 16384 },
});

const SHAPE_RE = /^(\d{1,3})c-(\d{1,6})(g|m)$/i;

export function parseSize(text: string): VmShape | null {
  const preset = SIZE_PRESETS[text.trim().toLowerCase()];
  if (preset) return preset;
  const m = SHAPE_RE.exec(text.trim());
  if (!m) return null;
  const cores = Number(m[1]);
  const memoryMb = Number(m[2]) * (m[3]!.toLowerCase() === 'g' ? 1024 : 1);
  // PVE's memory minimum is 16 MiB; a VM needs at least one core.
  if (cores < 1 || memoryMb < 16) return null;
  return { cores, memoryMb };
}

export function formatSize(shape: VmShape): string {
  return shape.memoryMb % 1024 === 0 ? `${shape.cores}c-${shape.memoryMb / 1024}g` : `${shape.cores}c-${shape.memoryMb}m`;
}

export const SIZE_HINT = `use <cores>c-<memory>g (e.g. 2c-4g, 1c-512m) or a preset: ${Object.keys(SIZE_PRESETS).join(', ')}`;

export function presetSizes(): Size[] {
  return Object.entries(SIZE_PRESETS).map(([id, s]) => ({
    id,
    vcpus: s.cores,
    memoryGb: s.memoryMb / 1024,
    diskGb: 0, // the template's disk decides
    gpu: null,
    gpuCount: 0,
    regions: [],
    priceHourly: null,
    priceMonthly: null,
    currency: '',
  }));
}
