/**
 * Secrets given as a path to a file. Like ssh with private keys, a file other users can
 * read is refused outright (its secret must be considered leaked); group access only
 * warns, since service accounts often share a group with a secrets mount.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export interface SecretFile {
  value: string;
  /** Set when the file is readable by its group: worth fixing, not fatal. */
  warning?: string;
}

export class SecretFileError extends Error {}

export function resolvePath(path: string, baseDir: string): string {
  const expanded = path.startsWith('~/') ? `${process.env.HOME ?? ''}${path.slice(1)}` : path;
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}

/** Describes what is wrong with a secret file's mode: 'refuse', 'warn' or null. */
export function modeProblem(mode: number): { level: 'refuse' | 'warn'; message: string } | null {
  if (process.platform === 'win32') return null;
  const perms = (mode & 0o777).toString(8).padStart(4, '0');
  if (mode & 0o007) return { level: 'refuse', message: `is accessible to every user (mode ${perms}); run chmod 600 on it` };
  if (mode & 0o070) return { level: 'warn', message: `is accessible to its group (mode ${perms}); chmod 600 is safer` };
  return null;
}

/** Reads a secret file, trimmed. Throws SecretFileError when it is missing, empty or world-accessible. */
export function readSecretFile(path: string): SecretFile {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (err) {
    throw new SecretFileError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const problem = modeProblem(mode);
  if (problem?.level === 'refuse') throw new SecretFileError(`${path} ${problem.message}`);
  const value = readFileSync(path, 'utf8').trim();
  if (!value) throw new SecretFileError(`${path} is empty`);
  return problem ? { value, warning: `${path} ${problem.message}` } : { value };
}

/** A key file holds the hex seed, or JSON with secret_key / secretKey (as `ferry keys generate` may write). */
export function keyFromFileText(text: string): string {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      const v = o['secret_key'] ?? o['secretKey'];
      if (typeof v === 'string') return v.trim();
    } catch {
      // fall through: reported as a malformed key by the caller
    }
  }
  return t;
}
