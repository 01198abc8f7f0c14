/**
 * What an emulated server answers over SSH: `cloud-init status` from the user data's progress in
 * emulated time, and the few commands a test needs (hostname, uptime, cat/tail of files cloud-init
 * wrote, echo, true). Anything else exits 127, as a shell does for an unknown command.
 */
import { parse as parseYaml } from 'yaml';

/** User data containing this line makes the emulated cloud-init fail (after writing its files). */
export const FAIL_CLOUD_INIT_MARKER = '#ferry-emulator: fail-cloud-init';
export const CLOUD_INIT_LOG = '/var/log/cloud-init-output.log';

export interface EmulatedHost {
  ip: string;
  hostname: string;
  userData?: string;
  bootedAtMs: number;
  /** Emulated time cloud-init runs after boot. */
  cloudInitMs: number;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

type CloudInitState = 'running' | 'done' | 'error';

export function cloudInitState(h: EmulatedHost, nowMs: number): CloudInitState {
  if (nowMs < h.bootedAtMs + h.cloudInitMs) return 'running';
  return h.userData?.includes(FAIL_CLOUD_INIT_MARKER) ? 'error' : 'done';
}

/** Files cloud-init's write_files module wrote (a #cloud-config document), by path. */
export function writtenFiles(userData: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  if (!userData || !userData.trimStart().startsWith('#cloud-config')) return files;
  let doc: unknown;
  try {
    doc = parseYaml(userData);
  } catch {
    return files;
  }
  const list = (doc as { write_files?: unknown } | null)?.write_files;
  if (!Array.isArray(list)) return files;
  for (const f of list) {
    if (!f || typeof f !== 'object' || typeof (f as any).path !== 'string') continue;
    const raw = typeof (f as any).content === 'string' ? (f as any).content : '';
    const enc = String((f as any).encoding ?? '').toLowerCase();
    files.set((f as any).path, enc === 'b64' || enc === 'base64' ? Buffer.from(raw, 'base64').toString('utf8') : raw);
  }
  return files;
}

function cloudInitLog(h: EmulatedHost, state: CloudInitState): string {
  const lines = [`Cloud-init v. 24.1 running 'init' at ${new Date(h.bootedAtMs).toUTCString()}. Up 4.00 seconds.`];
  for (const path of writtenFiles(h.userData).keys()) lines.push(`write_files: wrote ${path}`);
  if (state === 'error') {
    lines.push('emulated failure: the user data asked for it (' + FAIL_CLOUD_INIT_MARKER + ')');
    lines.push("2026-01-01 00:00:00,000 - cc_scripts_user.py[WARNING]: Failed to run module scripts_user (scripts in /var/lib/cloud/instance/scripts)");
  }
  if (state !== 'running') lines.push(`Cloud-init v. 24.1 finished. Datasource DataSourceEmulated. Up ${Math.round(h.cloudInitMs / 1000) + 4} seconds`);
  return lines.join('\n') + '\n';
}

function statusOutput(h: EmulatedHost, state: CloudInitState, long: boolean, nowMs: number): CommandResult {
  const code = state === 'error' ? 1 : 0;
  if (!long) return { stdout: `status: ${state}\n`, stderr: '', code };
  const lines = [`status: ${state}`, `extended_status: ${state}`, 'boot_status_code: enabled-by-generator', `last_update: ${new Date(nowMs).toUTCString()}`, 'detail:', 'DataSourceEmulated'];
  if (state === 'error') lines.push('errors:', '\t- (scripts_user) Failed to run module scripts_user');
  return { stdout: lines.join('\n') + '\n', stderr: '', code };
}

/** Splits a command line on blanks, honouring simple single and double quotes. */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/**
 * Runs one command line. `waitUntil` is how `cloud-init status --wait` blocks: it resolves once
 * emulated time reaches the given instant.
 */
export async function runCommand(h: EmulatedHost, line: string, now: () => number, waitUntil: (atMs: number) => Promise<void>): Promise<CommandResult> {
  const [cmd, ...args] = words(line.trim());
  const fileOf = (path: string): string | undefined => (path === CLOUD_INIT_LOG ? cloudInitLog(h, cloudInitState(h, now())) : cloudInitState(h, now()) === 'running' ? undefined : writtenFiles(h.userData).get(path));
  switch (cmd) {
    case undefined:
    case 'true':
      return { stdout: '', stderr: '', code: 0 };
    case 'echo':
      return { stdout: args.join(' ') + '\n', stderr: '', code: 0 };
    case 'hostname':
      return { stdout: h.hostname + '\n', stderr: '', code: 0 };
    case 'uptime': {
      const up = Math.max(0, Math.floor((now() - h.bootedAtMs) / 1000));
      return { stdout: ` ${new Date(now()).toISOString().slice(11, 19)} up ${Math.floor(up / 60)} min,  0 users,  load average: 0.00, 0.00, 0.00\n`, stderr: '', code: 0 };
    }
    case 'cat':
    case 'tail': {
      const lines = cmd === 'tail' && args[0] === '-n' ? Number(args[1]) : undefined;
      const paths = cmd === 'tail' && args[0] === '-n' ? args.slice(2) : args;
      let stdout = '';
      for (const path of paths) {
        const text = fileOf(path);
        if (text === undefined) return { stdout, stderr: `${cmd}: ${path}: No such file or directory\n`, code: 1 };
        stdout += lines !== undefined && Number.isFinite(lines) ? text.split('\n').filter(Boolean).slice(-lines).join('\n') + '\n' : text;
      }
      return { stdout, stderr: '', code: 0 };
    }
    case 'cloud-init': {
      if (args[0] !== 'status') return { stdout: '', stderr: `cloud-init: the emulator answers only "cloud-init status [--long] [--wait]"\n`, code: 2 };
      if (args.includes('--wait')) await waitUntil(h.bootedAtMs + h.cloudInitMs);
      return statusOutput(h, cloudInitState(h, now()), args.includes('--long'), now());
    }
    default:
      return { stdout: '', stderr: `bash: ${cmd}: command not found (the emulated server runs only: cloud-init status, hostname, uptime, cat, tail -n, echo, true)\n`, code: 127 };
  }
}
