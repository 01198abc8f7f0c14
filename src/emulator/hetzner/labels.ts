/**
 * Hetzner label rules and label selectors (docs.hetzner.cloud "Labels"): `k=v` (or `k==v`),
 * `k!=v`, `k` (present), `!k` (absent), `k in (a,b)`, `k notin (a,b)`, joined by commas (AND).
 */
import type { Labels } from './state.js';

const NAME = /^[a-z0-9A-Z]([-_.a-z0-9A-Z]{0,61}[a-z0-9A-Z])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash < 0) return NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && PREFIX.test(prefix) && NAME.test(key.slice(slash + 1));
}

function validValue(value: string): boolean {
  return value === '' || NAME.test(value);
}

/** The first invalid label, described, or undefined when all are valid. */
export function invalidLabel(labels: unknown): string | undefined {
  if (labels === undefined) return undefined;
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return 'labels must be an object';
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    if (!validKey(k)) return `invalid label key "${k}"`;
    if (typeof v !== 'string' || !validValue(v)) return `invalid label value "${String(v)}" of key "${k}"`;
  }
  return undefined;
}

export type LabelPredicate = (labels: Labels) => boolean;

/** Splits on commas outside parentheses, so `k in (a,b)` stays one term. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim());
}

function term(t: string): LabelPredicate | string {
  let m = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(t);
  if (m) {
    const [, key, op, value] = m as unknown as [string, string, string, string];
    if (!validKey(key) || !validValue(value)) return `invalid label selector term "${t}"`;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(t);
  if (m) {
    const [, key, op, list] = m as unknown as [string, string, string, string];
    const values = list.split(',').map((v) => v.trim());
    if (!validKey(key) || !values.every(validValue)) return `invalid label selector term "${t}"`;
    return op === 'in' ? (l) => key in l && values.includes(l[key]!) : (l) => !(key in l) || !values.includes(l[key]!);
  }
  m = /^(!?)(\S+)$/.exec(t);
  if (m && validKey(m[2]!)) {
    const key = m[2]!;
    return m[1] ? (l) => !(key in l) : (l) => key in l;
  }
  return `invalid label selector term "${t}"`;
}

/** A predicate for the selector, or the error message for an invalid one. Empty matches all. */
export function parseSelector(selector: string | null): LabelPredicate | string {
  if (!selector || !selector.trim()) return () => true;
  const preds: LabelPredicate[] = [];
  for (const t of terms(selector)) {
    const p = term(t);
    if (typeof p === 'string') return p;
    preds.push(p);
  }
  return (labels) => preds.every((p) => p(labels));
}
