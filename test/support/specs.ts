import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The providers' official API descriptions: FERRY_SPECS_DIR, else the nearest `shared/specs` beside
 * the repo or beside one of its parents (a worktree or a CI clone nested one level deeper finds them too).
 */
export function specsDir(): string {
  if (process.env.FERRY_SPECS_DIR) return resolve(process.env.FERRY_SPECS_DIR);
  // dist/test/support → repo root is three levels up.
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  for (let dir = dirname(repo); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'specs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return resolve(repo, '../shared/specs');
  }
}

/** The spec's path, or a loud message saying it is absent (the caller skips with it). */
export function specPath(rel: string): { path: string } | { missing: string } {
  const p = join(specsDir(), rel);
  if (existsSync(p)) return { path: p };
  const missing = `SPEC MISSING: ${p} not found (set FERRY_SPECS_DIR); spec-conformance checks skipped`;
  console.warn(`\n*** ${missing} ***\n`);
  return { missing };
}

export function readSpecText(path: string): string {
  return readFileSync(path, 'utf8');
}
