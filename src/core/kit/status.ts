import type { InstanceState, InstanceStatus } from '../types.js';

/**
 * A provider's status words → ferry's states, with an explicit unknown fallback: a word the
 * provider adds later is kept as `raw` and reads as unknown, never a crash (libcloud's NODE_STATE_MAP).
 */
export function statusTable(table: Readonly<Record<string, InstanceState>>): (raw: string | null | undefined) => InstanceStatus {
  const frozen = Object.freeze({ ...table });
  return (raw) => {
    const word = raw ?? '';
    return { state: Object.hasOwn(frozen, word) ? frozen[word]! : 'unknown', raw: word || 'unknown' };
  };
}
