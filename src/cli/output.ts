/**
 * The CLI's output, written to file descriptors 1 and 2 directly.
 *
 * process.stdout and process.stderr are streams: making one loads Node's
 * whole stream stack, 15 internal modules and about 1.5 ms of a 75 ms run,
 * to write one report. So the report goes out with writeSync, and a stream is
 * made only when it must be: a non-blocking pipe that is full (EAGAIN; the
 * stream waits for the reader), or a terminal's width.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as tty from 'node:tty';

type Fd = 1 | 2;

const streamOf = (fd: Fd) => (fd === 1 ? process.stdout : process.stderr);
/** whether a stream took over an fd (writes after it go through the stream, in order) */
const streamed: Record<Fd, boolean> = { 1: false, 2: false };

/** `nginx-lint … | head`: the reader went away; stop quietly, as cat and grep do */
function readerGone(): never {
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}

function handOver(fd: Fd): NodeJS.WriteStream {
  const stream = streamOf(fd);
  if (!streamed[fd]) {
    streamed[fd] = true;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') readerGone();
      throw err;
    });
  }
  return stream;
}

function write(fd: Fd, data: string | Uint8Array): void {
  if (streamed[fd]) {
    streamOf(fd).write(data);
    return;
  }
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') readerGone();
    if (code !== 'EAGAIN') throw err;
    handOver(fd).write(bytes.subarray(done));
  }
}

/** text (as UTF-8) or bytes (a diff of Latin-1 files is bytes) */
export const writeOut = (data: string | Uint8Array): void => write(1, data);
export const writeErr = (data: string | Uint8Array): void => write(2, data);

/** Is the fd a terminal? Pipes, files and the null device are told apart without loading node:tty. */
export function isTerminal(fd: Fd): boolean {
  let st;
  try {
    st = fstatSync(fd);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice()) return false;
  if (statSync('/dev/null', { throwIfNoEntry: false })?.rdev === st.rdev) return false;
  return (createRequire(import.meta.url)('node:tty') as typeof tty).isatty(fd);
}

/** stdout's width when it is a terminal (yargs' help), else undefined */
export function terminalColumns(): number | undefined {
  return isTerminal(1) ? process.stdout.columns : undefined;
}

/** Whether everything written has reached the fds (nothing queued in a stream). */
export function flushed(): boolean {
  return (!streamed[1] || process.stdout.writableLength === 0) && (!streamed[2] || process.stderr.writableLength === 0);
}
