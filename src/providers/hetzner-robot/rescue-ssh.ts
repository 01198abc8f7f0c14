/**
 * The last step of an iPXE reinstall on Robot: inside the rescue system (a Debian live system with
 * kexec), fetch iPXE's Linux-bootable kernel (ipxe.lkrn), give it a two-line script as its initrd
 * (iPXE runs an initrd script it is booted with) and kexec into it, so the server chainloads the
 * user's iPXE URL without a BIOS network boot. SSH is the ssh2 library's; ferry only runs a command.
 */
import ssh2 from 'ssh2';
import { ProviderError } from '../../core/index.js';
import { PROVIDER } from './client.js';

export const IPXE_KERNEL_URL = 'https://boot.ipxe.org/ipxe.lkrn';

/** Shell-quotes one argument (single quotes, with embedded ones closed and escaped). */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The command run as root in the rescue system. */
export function chainloadCommand(ipxeUrl: string): string {
  const script = `#!ipxe\ndhcp\nchain ${ipxeUrl}\n`;
  return [
    'set -e',
    `curl -fsSL -o /tmp/ipxe.lkrn ${q(IPXE_KERNEL_URL)}`,
    `printf %s ${q(script)} > /tmp/ferry.ipxe`,
    'kexec -l /tmp/ipxe.lkrn --initrd=/tmp/ferry.ipxe',
    'sync',
    // kexec -e does not return when it works: the connection drops as the new kernel starts.
    'nohup sh -c "sleep 1; kexec -e" >/dev/null 2>&1 &',
    'echo ferry-chainload-armed',
  ].join(' && ');
}

export interface SshTarget {
  host: string;
  port: number;
  password: string;
}

/**
 * Connects as root with the rescue password and runs the chainload command; resolves with its
 * output once it exits 0. Retries the connection until `deadline` (the rescue system is booting).
 */
export async function runInRescue(t: SshTarget, command: string, deadline: number, signal?: AbortSignal): Promise<string> {
  let last: unknown;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw signal.reason;
    try {
      return await once(t, command, Math.max(1000, Math.min(30_000, deadline - Date.now())));
    } catch (err) {
      if (ProviderError.is(err)) throw err;
      last = err;
      await new Promise((ok) => setTimeout(ok, 200));
    }
  }
  throw new ProviderError({
    kind: 'timeout',
    provider: PROVIDER,
    message: `the rescue system at ${t.host}:${t.port} did not accept SSH in time (${(last as Error)?.message ?? 'no answer'})`,
  });
}

function once(t: SshTarget, command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = new ssh2.Client();
    let out = '';
    let settled = false;
    const done = (err: unknown, value?: string) => {
      if (settled) return;
      settled = true;
      conn.end();
      if (err) reject(err);
      else resolve(value ?? '');
    };
    conn.on('ready', () => {
      conn.exec(command, (err, stream) => {
        if (err) return done(err);
        stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
        stream.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
        stream.on('close', (code: number | null) => {
          if (code === 0) done(null, out);
          else done(new ProviderError({ kind: 'api', provider: PROVIDER, message: `the chainload command failed in the rescue system (exit ${code}): ${out.slice(-300)}` }));
        });
      });
    });
    conn.on('error', (err) => done(err));
    conn.on('close', () => done(new Error('connection closed')));
    conn.connect({
      host: t.host,
      port: t.port,
      username: 'root',
      password: t.password,
      readyTimeout: timeoutMs,
      // The rescue system's host key is new at every activation; Robot lists its fingerprints only
      // after the boot, so the password (fresh per activation, over a just-reset server) is the trust.
      hostVerifier: () => true,
    });
  });
}
