/**
 * Waits that make "ready" mean usable, over ssh2 (never a hand-written protocol):
 *  - ssh: the server completes an SSH handshake (its banner and key exchange), and, given a key
 *    or password, accepts it;
 *  - cloud-init: then `cloud-init status` reports done (an error is a CloudInitFailed with the
 *    status and the tail of its output log).
 * Host keys go through a verifier (ferry's known_hosts): a changed key fails at once, unretried.
 */
import ssh2 from 'ssh2';
import type { ConnectConfig } from 'ssh2';
import { ProviderError } from '../core/errors.js';
import { sleep } from '../core/timeouts.js';
import type { SshEndpoint } from './endpoints.js';

const { Client } = ssh2;

export type WaitStage = 'ready' | 'ssh' | 'cloud-init';
export const WAIT_STAGES: readonly WaitStage[] = ['ready', 'ssh', 'cloud-init'];

export interface SshLogin {
  username: string;
  /** An OpenSSH/PEM private key (its text). */
  privateKey?: string | Buffer;
  password?: string;
}

export interface SshWaitOptions {
  endpoint: SshEndpoint;
  login: SshLogin;
  /** Returns false to refuse the host key (a changed one); called with the key's wire blob. */
  verifyHostKey?: (blob: Buffer) => boolean;
  sshConnectMs: number;
  cloudInitMs: number;
  pollIntervalMs: number;
  /** One connection attempt's limit (default: min(20 s, sshConnectMs)). */
  attemptMs?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

/** cloud-init reported an error: the server is up, its user data was not (fully) applied. */
export class CloudInitFailed extends Error {
  constructor(readonly status: string, readonly output: string) {
    super('cloud-init reported an error');
    this.name = 'CloudInitFailed';
  }
}

export class HostKeyChanged extends Error {
  constructor(readonly endpoint: SshEndpoint) {
    super(`the host key of ${endpoint.host}:${endpoint.port} differs from the one ferry recorded at first connection: refusing to connect`);
    this.name = 'HostKeyChanged';
  }
}

type Attempt = { ok: true; client: InstanceType<typeof Client> } | { ok: false; handshake: boolean; reason: string; hostKeyRefused: boolean };

function connectOnce(o: SshWaitOptions, authenticate: boolean): Promise<Attempt> {
  return new Promise((resolve) => {
    const client = new Client();
    let handshake = false;
    let refused = false;
    let settled = false;
    const settle = (a: Attempt) => {
      if (settled) return;
      settled = true;
      if (!a.ok) client.end();
      resolve(a);
    };
    const config: ConnectConfig = {
      host: o.endpoint.host,
      port: o.endpoint.port,
      username: o.login.username,
      readyTimeout: o.attemptMs ?? Math.min(20_000, o.sshConnectMs),
      hostVerifier: (blob: Buffer) => {
        const accepted = o.verifyHostKey ? o.verifyHostKey(blob) : true;
        if (!accepted) refused = true;
        return accepted;
      },
      ...(authenticate && o.login.privateKey ? { privateKey: o.login.privateKey } : {}),
      ...(authenticate && o.login.password !== undefined ? { password: o.login.password } : {}),
    };
    client.on('handshake', () => {
      handshake = true;
      // Without credentials the handshake is all there is to learn.
      if (!authenticate) settle({ ok: false, handshake, reason: 'handshake only', hostKeyRefused: false });
    });
    client.on('ready', () => settle({ ok: true, client }));
    client.on('error', (err: Error) => settle({ ok: false, handshake, reason: err.message, hostKeyRefused: refused }));
    client.on('close', () => settle({ ok: false, handshake, reason: 'connection closed', hostKeyRefused: refused }));
    client.connect(config);
  });
}

const hasCredentials = (l: SshLogin) => Boolean(l.privateKey) || l.password !== undefined;

/**
 * Waits until SSH answers (and accepts the login when one is given). Returns a connected client
 * when it logged in (the caller ends it), undefined when only the handshake was checked.
 */
export async function waitForSsh(o: SshWaitOptions): Promise<InstanceType<typeof Client> | undefined> {
  const start = Date.now();
  const authenticate = hasCredentials(o.login);
  let last = 'no answer yet';
  let answered = false;
  for (let n = 1; ; n++) {
    if (o.signal?.aborted) throw new ProviderError({ kind: 'cancelled', message: 'operation cancelled' });
    const a = await connectOnce(o, authenticate);
    if (a.ok) return a.client;
    if (a.hostKeyRefused) throw new HostKeyChanged(o.endpoint);
    if (a.handshake && !authenticate) return undefined;
    if (a.handshake && !answered) {
      answered = true;
      o.onProgress?.(`ssh: ${o.endpoint.host}:${o.endpoint.port} answers; waiting for it to accept the ${o.login.privateKey ? 'key' : 'password'} of ${o.login.username}`);
    }
    last = a.reason;
    const elapsed = Date.now() - start;
    if (elapsed + o.pollIntervalMs > o.sshConnectMs) {
      throw ProviderError.timeout('ssh', answered ? `ssh login as ${o.login.username} (${last})` : `ssh to ${o.endpoint.host}:${o.endpoint.port} (${last})`, elapsed);
    }
    if (n === 1 || n % 10 === 0) o.onProgress?.(`ssh: waiting for ${o.endpoint.host}:${o.endpoint.port} (${Math.round(elapsed / 1000)} s)`);
    await sleep(o.pollIntervalMs, o.signal);
  }
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function exec(client: InstanceType<typeof Client>, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      stream.on('close', (code: number | null) => resolve({ code: code ?? null, stdout, stderr }));
    });
  });
}

/** `status: <word>` from `cloud-init status` output, or undefined. */
export function parseCloudInitStatus(out: string): string | undefined {
  return /^status:\s*(.+?)\s*$/m.exec(out)?.[1];
}

const DONE = new Set(['done', 'disabled', 'degraded done']);
const FAILED = new Set(['error', 'degraded error']);

/** Polls `cloud-init status --long` on a logged-in client until done; an error throws CloudInitFailed. */
export async function waitForCloudInit(client: InstanceType<typeof Client>, o: Pick<SshWaitOptions, 'cloudInitMs' | 'pollIntervalMs' | 'signal' | 'onProgress'>): Promise<string> {
  const start = Date.now();
  let reported = '';
  for (;;) {
    const r = await exec(client, 'cloud-init status --long');
    if (r.code === 127) {
      o.onProgress?.('cloud-init: not installed on this image; nothing to wait for');
      return 'absent';
    }
    const status = parseCloudInitStatus(r.stdout) ?? 'unknown';
    if (DONE.has(status)) return status;
    if (FAILED.has(status)) {
      const log = await exec(client, 'tail -n 40 /var/log/cloud-init-output.log').catch(() => ({ stdout: '', stderr: '', code: null }));
      throw new CloudInitFailed(status, [r.stdout.trim(), log.stdout.trim()].filter(Boolean).join('\n--- /var/log/cloud-init-output.log (last lines) ---\n'));
    }
    if (status !== reported) o.onProgress?.(`cloud-init: ${status}`);
    reported = status;
    const elapsed = Date.now() - start;
    if (elapsed + o.pollIntervalMs > o.cloudInitMs) throw ProviderError.timeout('ssh', `cloud-init (last status: ${status})`, elapsed);
    await sleep(o.pollIntervalMs, o.signal);
  }
}

/** The whole wait for a stage past `ready`: ssh (with login when possible), then cloud-init. */
export async function waitUsable(stage: Exclude<WaitStage, 'ready'>, o: SshWaitOptions): Promise<{ cloudInit?: string }> {
  o.onProgress?.(`ssh: connecting to ${o.endpoint.host}:${o.endpoint.port}`);
  const client = await waitForSsh(o);
  try {
    o.onProgress?.(client ? `ssh: logged in as ${o.login.username}` : 'ssh: answers');
    if (stage !== 'cloud-init') return {};
    if (!client) throw new ProviderError({ kind: 'invalid_config', provider: 'ssh', message: 'waiting for cloud-init needs a login: a private key or the root password' });
    return { cloudInit: await waitForCloudInit(client, o) };
  } finally {
    client?.end();
  }
}
