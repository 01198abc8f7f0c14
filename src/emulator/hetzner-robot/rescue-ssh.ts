/**
 * The emulated rescue systems' SSH endpoint: one ssh2 server on loopback for every server booted
 * into rescue, telling them apart by their root password (fresh per activation, as Robot's). It
 * accepts only root with an active rescue's password, records each command, and answers the
 * chainload (curl of ipxe.lkrn, kexec -l with an iPXE script, kexec -e) like the rescue system
 * would: the server leaves rescue and is "in process" while the iPXE-booted install runs. The
 * server starts with the first rescue activation and closes as soon as no rescue system is up,
 * and never keeps the process alive (unref), so an emulator's close leaves no handle behind.
 */
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { newSshHostKey } from '../engine/index.js';
import type { RobotState, ServerRec } from './state.js';

export class RescueSsh {
  private server: ssh2.Server | null = null;
  private listening: Promise<string> | null = null;
  private readonly clients = new Set<ssh2.Connection>();

  constructor(private readonly st: RobotState) {}

  /** host:port of the endpoint, started on first use. */
  endpoint(): Promise<string> {
    if (this.listening) return this.listening;
    // newSshHostKey() draws again when ssh2 emits a key its own parser rejects (now and then it does).
    const server = new ssh2.Server({ hostKeys: [newSshHostKey()] }, (client) => this.serve(client));
    this.server = server;
    this.listening = new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        ok(`127.0.0.1:${(server.address() as AddressInfo).port}`);
      });
    });
    return this.listening;
  }

  /** Rescue systems up now: activated, then reset into. */
  private booted(): ServerRec[] {
    return this.st.live().filter((s) => s.rescue?.bootedAt !== null && s.rescue?.bootedAt !== undefined);
  }

  private serve(client: ssh2.Connection): void {
    this.clients.add(client);
    let rec: ServerRec | undefined;
    client.on('close', () => {
      this.clients.delete(client);
      this.closeWhenIdle();
    });
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === 'root') {
        rec = this.booted().find((s) => s.rescue!.password === ctx.password);
        if (rec) return ctx.accept();
      }
      ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const { out, code } = this.run(rec!, info.command);
          stream.write(out);
          stream.exit(code);
          stream.end();
        });
      });
    });
  }

  /** The rescue system's answer to one command. */
  private run(s: ServerRec, command: string): { out: string; code: number } {
    s.rescueLog.push(command);
    const chain = /chain (\S+?)(?:\\n|'|\s|$)/.exec(command);
    if (/kexec -l /.test(command) && /kexec -e/.test(command) && chain) {
      s.chainloaded = chain[1]!;
      s.rescue = null;
      s.busyUntil = this.st.now() + this.st.ctx.config.installMs;
      return { out: 'ferry-chainload-armed\n', code: 0 };
    }
    if (/^\s*(true|uname|hostname)\b/.test(command)) return { out: 'rescue\n', code: 0 };
    return { out: `bash: ${command.split(/\s+/)[0]}: not available in the emulated rescue system\n`, code: 127 };
  }

  private closeWhenIdle(): void {
    if (this.clients.size === 0 && this.booted().length === 0 && !this.st.live().some((s) => s.rescue)) void this.close();
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.listening = null;
    for (const c of this.clients) c.end();
    this.clients.clear();
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
  }
}
