/** A deploy's request from its flags: names, image, user data, SSH keys and labels, each checked before any network call. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { parseImageSpec, UserError, type InstanceRequest } from '../../core/index.js';
import type { Args } from '../define.js';

export type BaseRequest = Omit<InstanceRequest, 'region' | 'size'>;

function generatedName(): string {
  return `ferry-${randomBytes(3).toString('hex')}`;
}

function readUserData(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read --user-data ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A value that can only be a path (a provider's key ids, names and fingerprints have no slash, no .pub). */
const looksLikePath = (k: string) => /[/\\]/.test(k) || k.startsWith('~') || k.startsWith('.') || k.endsWith('.pub');

/** A file path becomes the public key it holds; anything else is a provider key id or fingerprint. */
function sshKeys(list: unknown): string[] {
  return ((list as string[] | undefined) ?? []).map((k) => {
    const path = k.startsWith('~/') ? homedir() + k.slice(1) : k;
    if (!k.startsWith('ssh-') && !existsSync(path) && looksLikePath(k)) {
      throw new UserError(`--ssh-key ${k}: no such file`, 'give the path of a public key (e.g. ~/.ssh/id_ed25519.pub), or the id or fingerprint of a key the provider already has');
    }
    if (!k.startsWith('ssh-') && existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (!/^(ssh-|ecdsa-|sk-)/.test(text)) throw new UserError(`--ssh-key ${k} is not a public key file`, 'give the .pub file, not the private key');
      return text;
    }
    return k;
  });
}

function labels(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--label ${item} is not key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** What every server of a deploy shares, from the flags (files read, keys resolved): bad input fails here. */
export function baseRequest(args: Args): BaseRequest {
  return {
    name: typeof args.name === 'string' ? args.name : generatedName(),
    image: parseImageSpec(String(args.image ?? 'ubuntu-24.04')),
    userData: readUserData(args.userData),
    sshKeys: sshKeys(args.sshKey),
    labels: labels(args.label),
  };
}

/** --size's one --provider and one --region. */
export function explicitTarget(providers: string[] | undefined, regions: string[] | undefined): { providerName: string; region: string } {
  if (providers?.length !== 1 || regions?.length !== 1) {
    throw new UserError('--size needs exactly one --provider and one --region', 'or drop --size and let ferry place the server by --min-cpu/--min-memory/--budget');
  }
  return { providerName: providers[0]!, region: regions[0]! };
}
