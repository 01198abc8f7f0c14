/**
 * SSH endpoints of the emulated servers. Each registered server (by its emulated IP) gets its own
 * loopback port and its own ed25519 host key (so a server recreated at the same IP shows a new key,
 * as a real one does). Connections before the server has booted are cut before the banner, as an
 * unreachable port 22 would be. The protocol is ssh2's; only the shell's answers are ours.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ParsedKey } from 'ssh2';
import { runCommand, type CommandResult, type EmulatedHost } from './ssh-shell.js';
import type { Clock } from './types.js';

const { Server: SshServer, utils } = ssh2;

export interface SshRegistration {
  ip: string;
  /** OpenSSH public keys (`ssh-ed25519 AAAA… comment`) the server accepts. */
  authorizedKeys: string[];
  /** The root password the provider set, when it set one. */
  password?: string;
  userData?: string | null;
  /** Emulated instant the server has booted; SSH answers from then on. */
  bootedAtMs: number;
  hostname?: string;
  /** Login names accepted besides root (e.g. a rescue system's). */
  users?: string[];
  /** Emulated time cloud-init runs after boot (default: a quarter of the boot time, a tenth without user data). */
  cloudInitMs?: number;
}

export interface EmulatedSsh {
  register(r: SshRegistration): void;
  unregister(ip: string): void;
  /** Emulated IP → "127.0.0.1:<port>", once every listener is bound. */
  endpoints(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

interface Endpoint {
  host: EmulatedHost & { users: string[]; password?: string; keys: ParsedKey[] };
  listener: NetServer;
  ssh: InstanceType<typeof SshServer>;
  /** Set once the listener is asked for (see bind). */
  bound?: Promise<number>;
  sockets: Set<Socket>;
}

/**
 * A fresh ed25519 host key. ssh2 1.17 now and then emits one its own parser rejects ("Malformed
 * OpenSSH private key"): such a key is drawn again rather than crashing the emulator.
 */
export function newSshHostKey(): string {
  for (let i = 0; ; i++) {
    const { private: key } = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(key) instanceof Error) || i >= 20) return key;
  }
}

function parsedKeys(keys: string[]): ParsedKey[] {
  const out: ParsedKey[] = [];
  for (const k of keys) {
    const p = utils.parseKey(k);
    if (!(p instanceof Error)) out.push(Array.isArray(p) ? p[0] : p);
  }
  return out;
}

export function createEmulatedSsh(clock: Clock, defaults: { bootMs: number }, bindHost = '127.0.0.1'): EmulatedSsh {
  const byIp = new Map<string, Endpoint>();
  const waitUntil = (atMs: number) => new Promise<void>((ok) => setTimeout(ok, Math.max(0, (atMs - clock.now()) / clock.scale)));

  const authenticate = (e: Endpoint, ctx: AuthContext) => {
    const h = e.host;
    if (ctx.username !== 'root' && !h.users.includes(ctx.username)) return ctx.reject();
    if (ctx.method === 'password' && h.password !== undefined && ctx.password === h.password) return ctx.accept();
    if (ctx.method === 'publickey') {
      const key = h.keys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
      if (key && !ctx.signature) return ctx.accept(); // the client asks whether this key would do
      if (key && ctx.signature && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
    }
    ctx.reject(h.password !== undefined ? ['publickey', 'password'] : ['publickey']);
  };

  const serve = (e: Endpoint, client: Connection) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => authenticate(e, ctx));
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('env', (accept) => accept?.());
        session.on('auth-agent', (accept) => accept?.());
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          void runCommand(e.host, info.command, () => clock.now(), waitUntil).then((r) => finish(stream, r));
        });
        session.on('shell', (accept) => {
          // A line-at-a-time shell: each line runs as a command; `exit` or end of input ends it.
          const stream = accept();
          let buffered = '';
          stream.on('data', (chunk: Buffer) => {
            buffered += chunk.toString('utf8').replace(/\r/g, '\n');
            for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
              const line = buffered.slice(0, nl);
              buffered = buffered.slice(nl + 1);
              if (line.trim() === 'exit') return finish(stream, { stdout: '', stderr: '', code: 0 });
              void runCommand(e.host, line, () => clock.now(), waitUntil).then((r) => {
                stream.write(r.stdout);
                stream.stderr.write(r.stderr);
              });
            }
          });
          stream.on('end', () => finish(stream, { stdout: '', stderr: '', code: 0 }));
        });
      });
    });
  };

  const finish = (stream: ssh2.ServerChannel, r: CommandResult) => {
    if (r.stdout) stream.write(r.stdout);
    if (r.stderr) stream.stderr.write(r.stderr);
    stream.exit(r.code);
    stream.end();
  };

  /**
   * The host key and listener are made when the endpoint map is first asked for (a client about to
   * log in), not at create: a fleet of a thousand that never logs in does not pay for a thousand keys.
   */
  const bind = (ip: string, e: Endpoint): Promise<number> => {
    e.bound ??= new Promise<number>((ok, fail) => {
      if (byIp.get(ip) !== e) return fail(new Error(`${ip} was unregistered`));
      try {
        e.ssh = new SshServer({ hostKeys: [newSshHostKey()] }, (client) => serve(e, client));
      } catch (err) {
        return fail(err);
      }
      e.listener = createServer((socket) => {
        e.sockets.add(socket);
        socket.on('close', () => e.sockets.delete(socket));
        socket.on('error', () => undefined);
        if (clock.now() < e.host.bootedAtMs) return void socket.destroy(); // still booting: nothing listens on port 22
        e.ssh.injectSocket(socket);
      });
      e.listener.once('error', fail);
      e.listener.listen(0, bindHost, () => ok((e.listener.address() as AddressInfo).port));
    });
    return e.bound;
  };

  const drop = async (e: Endpoint) => {
    if (!e.bound) return;
    await e.bound.catch(() => undefined);
    for (const s of e.sockets) s.destroy();
    if (e.listener?.listening) await new Promise<void>((ok) => e.listener.close(() => ok()));
  };

  return {
    register(r) {
      const old = byIp.get(r.ip);
      if (old) void drop(old);
      const cloudInitMs = r.cloudInitMs ?? (r.userData ? defaults.bootMs / 4 : defaults.bootMs / 10);
      const host = {
        ip: r.ip,
        hostname: r.hostname ?? `emu-${r.ip.replace(/[.:]/g, '-')}`,
        ...(r.userData ? { userData: r.userData } : {}),
        bootedAtMs: r.bootedAtMs,
        cloudInitMs,
        users: r.users ?? [],
        ...(r.password !== undefined ? { password: r.password } : {}),
        keys: parsedKeys(r.authorizedKeys),
      };
      byIp.set(r.ip, { host, sockets: new Set<Socket>() } as Endpoint);
    },
    unregister(ip) {
      const e = byIp.get(ip);
      if (!e) return;
      byIp.delete(ip);
      void drop(e);
    },
    async endpoints() {
      const entries = await Promise.all([...byIp.entries()].map(async ([ip, e]) => [ip, await bind(ip, e).then((port) => `${bindHost}:${port}`, () => undefined)] as const));
      return Object.fromEntries(entries.filter((x): x is readonly [string, string] => x[1] !== undefined));
    },
    async close() {
      const all = [...byIp.values()];
      byIp.clear();
      await Promise.all(all.map(drop));
    },
  };
}
