/**
 * Exiting with output still queued loses it: a write to a full pipe is queued, and process.exit
 * drops the queue (a `--json` listing was cut at 64 KiB). So the CLI waits until stdout and stderr
 * have handed everything to the OS. A reader that went away (EPIPE, `| head`) is not a failure;
 * any other write error is, and turns a successful exit code into 1.
 */
export async function flushOutput(code: number, streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): Promise<number> {
  let result = code;
  await Promise.all(
    streams.map(
      (stream) =>
        new Promise<void>((done) => {
          if (stream.destroyed || !stream.writable) return done();
          const fail = (err: NodeJS.ErrnoException) => {
            if (err.code !== 'EPIPE' && result === 0) result = 1;
            done();
          };
          stream.once('error', fail);
          // The callback of an empty write runs after every write queued before it.
          stream.write('', (err) => {
            stream.off('error', fail);
            if (err) fail(err);
            else done();
          });
        }),
    ),
  );
  return result;
}

/** Output errors after the command finished must not crash ferry with a stack trace. */
export function guardOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const s of streams) s.on('error', () => undefined);
}
