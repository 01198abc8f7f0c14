/**
 * The agent's local journal: which contracts it has started (written before the provisioner
 * acts, so a restart knows to finish them), retry bookkeeping, instances it provisioned (for
 * health checks when the provisioner cannot list), and when it first saw each unclaimed
 * instance (the orphan grace period must survive restarts, or a crash loop would never
 * reach it). One small JSON file, replaced atomically (write, fsync, rename). No secrets.
 * It also keeps the agent's instance id: a UUID made on first start and kept across restarts,
 * so agents sharing one provider key hold distinct contract leases while a restarted agent
 * still owns the leases it took before.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export type ContractPhase = 'provisioning' | 'manual' | 'provisioned' | 'retry_wait';

export interface ContractRecord {
  phase: ContractPhase;
  attempts: number;
  externalId?: string;
  /** Unix ms before which a retryable failure is not tried again. */
  nextAttemptAt?: number;
  lastError?: string;
  /** Consecutive unexpected failures handling it (the backoff grows with them). */
  errors?: number;
  updatedAt: number;
}

/** A dictionary with no prototype: a key such as "__proto__" is an ordinary entry, never the object's prototype. */
function dict<T>(from: unknown): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (from && typeof from === 'object' && !Array.isArray(from)) {
    for (const [k, v] of Object.entries(from)) out[k] = v as T;
  }
  return out;
}

interface StateDoc {
  version: 1;
  instanceId: string;
  contracts: Record<string, ContractRecord>;
  /** external id → Unix ms it was first seen unclaimed. */
  orphans: Record<string, number>;
}

/** $XDG_STATE_HOME/ferry/agent, else ~/.local/state/ferry/agent. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'ferry', 'agent');
}

export class StateFile {
  private doc: StateDoc;

  constructor(readonly path: string) {
    this.doc = StateFile.read(path);
  }

  /** One file per provider key, so agents of different providers on one host never share state. */
  static forProvider(dir: string, providerPubkey: string): StateFile {
    return new StateFile(join(dir, `agent-${providerPubkey.slice(0, 16)}.json`));
  }

  private static read(path: string): StateDoc {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, instanceId: '', contracts: dict({}), orphans: dict({}) };
      throw err;
    }
    const doc = JSON.parse(text) as Partial<StateDoc>;
    if (doc.version !== 1) throw new Error(`${path}: unsupported agent state version ${String(doc.version)}`);
    return { version: 1, instanceId: typeof doc.instanceId === 'string' ? doc.instanceId : '', contracts: dict(doc.contracts), orphans: dict(doc.orphans) };
  }

  /** This agent's stable instance id, made (and persisted) on first use. */
  get instanceId(): string {
    if (!this.doc.instanceId) {
      this.doc.instanceId = randomUUID();
      this.save();
    }
    return this.doc.instanceId;
  }

  contract(id: string): ContractRecord | undefined {
    return Object.hasOwn(this.doc.contracts, id) ? this.doc.contracts[id] : undefined;
  }

  contracts(): [string, ContractRecord][] {
    return Object.entries(this.doc.contracts);
  }

  setContract(id: string, record: ContractRecord): void {
    this.doc.contracts[id] = record;
    this.save();
  }

  deleteContract(id: string): void {
    if (!(id in this.doc.contracts)) return;
    delete this.doc.contracts[id];
    this.save();
  }

  orphanSince(externalId: string): number | undefined {
    return Object.hasOwn(this.doc.orphans, externalId) ? this.doc.orphans[externalId] : undefined;
  }

  /** Replaces the orphan table (reconcile sees the whole picture each time). */
  setOrphans(orphans: Record<string, number>): void {
    const same = JSON.stringify(orphans) === JSON.stringify(this.doc.orphans);
    this.doc.orphans = dict(orphans);
    if (!same) this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(this.doc, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
