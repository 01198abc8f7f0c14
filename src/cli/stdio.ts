/**
 * ferry's standard output and error, written to the descriptors directly: creating process.stdout
 * or process.stderr loads Node's stream modules (and net or tty), about 8 ms of a start that only
 * prints help. A command's writes are synchronous, as Node's own stdout is for files and terminals.
 * When the OS would rather block (EAGAIN: a pipe left non-blocking), the rest goes through the
 * stream, which queues it in order, and flushOutput waits for that queue before exit: exiting with
 * output still queued loses it (a `--json` listing was once cut at 64 KiB). A reader that went away
 * (EPIPE, `| head`) is not a failure; any other write error is, and turns exit code 0 into 1.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Required, not imported: an ES module's import of node:fs builds its namespace from every export,
// and the lazy ones (ReadStream, WriteStream) load the stream modules this file exists to avoid.
const { fstatSync, statSync, writeSync } = require('node:fs') as typeof import('node:fs');

export interface Writer {
  write(text: string): void;
  /** Whether this stream is an interactive terminal. */
  readonly isTTY: boolean;
}

class DescriptorWriter implements Writer {
  /** Set once a write would have blocked: everything after goes through the stream, in order. */
  private stream: NodeJS.WriteStream | undefined;
  private gone = false;
  private failed = false;
  private tty: boolean | undefined;

  constructor(
    private readonly fd: 1 | 2,
    private readonly open: () => NodeJS.WriteStream,
  ) {}

  get isTTY(): boolean {
    return (this.tty ??= isTerminal(this.fd));
  }

  write(text: string): void {
    if (this.gone || text === '') return;
    if (this.stream) return void this.stream.write(text);
    // Encoded once: a partial write's rest is the bytes after what the OS took.
    let rest = Buffer.from(text);
    try {
      const written = writeSync(this.fd, rest);
      if (written === rest.length) return;
      rest = rest.subarray(written);
      this.toStream().write(rest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') this.toStream().write(rest);
      else if (code === 'EPIPE') this.gone = true;
      else this.failed = true;
    }
  }

  /** The stream's queue, written out; false when it failed for another reason than EPIPE. */
  async flush(): Promise<boolean> {
    const stream = this.stream;
    if (!stream || stream.destroyed || !stream.writable) return !this.failed;
    return new Promise((done) => {
      const fail = (err: NodeJS.ErrnoException) => done(err.code === 'EPIPE' && !this.failed);
      stream.once('error', fail);
      // The callback of an empty write runs after every write queued before it.
      stream.write('', (err) => {
        stream.off('error', fail);
        if (err) fail(err);
        else done(!this.failed);
      });
    });
  }

  private toStream(): NodeJS.WriteStream {
    if (!this.stream) {
      this.stream = this.open();
      // Output errors after the command finished must not crash ferry with a stack trace.
      this.stream.on('error', () => undefined);
    }
    return this.stream;
  }
}

/**
 * Whether fd is a terminal. A pipe, a file or /dev/null is not, and saying so needs no node:tty
 * (which loads net and the streams); a character device that is not /dev/null is asked.
 */
function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

export const stdout = new DescriptorWriter(1, () => process.stdout);
export const stderr = new DescriptorWriter(2, () => process.stderr);

/** Waits until everything written reached the OS; a write error turns a successful `code` into 1. */
export async function flushOutput(code: number): Promise<number> {
  const ok = await Promise.all([stdout.flush(), stderr.flush()]);
  return code === 0 && ok.includes(false) ? 1 : code;
}
