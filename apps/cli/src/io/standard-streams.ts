/**
 * Standard output and standard error that fail cleanly.
 *
 * A write to `process.stdout` can fail: the disk behind `> file` is full (`ENOSPC`, e.g.
 * `> /dev/full`), the descriptor is closed (`EBADF`), the reader of a pipe has exited (`EPIPE`,
 * `shallowscape ... | head`). Node reports these asynchronously, as an `'error'` event and through
 * the write callback, and an unhandled one crashes the process. {@link guardOutputStream} wraps
 * such a stream: it catches the failure, drops every later write (so that one failure is reported
 * once), and calls a handler, which the entry point uses to stop the command at its next safe
 * point (as for SIGTERM: what was computed is still written to `--out`). `main()` then waits for
 * the output to be flushed ({@link flushOutput}) and reports the failure ({@link outputFailure}):
 *
 * | failure | stderr | exit |
 * |---------|--------|------|
 * | `EPIPE` (the reader closed the pipe) | nothing | 141 (128 + SIGPIPE, as for `cat big | head`) |
 * | anything else (`ENOSPC`, `EBADF`, `EIO`, ...) | `shallowscape: error: cannot write to standard output: no space left on device (ENOSPC)` | 2 |
 *
 * Why EPIPE is quiet: the Unix convention is that a writer whose reader went away stops without
 * a message (a C program dies of SIGPIPE), so that `shallowscape ... | head` prints only what
 * `head` shows. Its exit code is the one a shell reports for a process killed by SIGPIPE, so that
 * `set -o pipefail` scripts see the same status as for `yes | head`.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';
import type { OutputStream } from '../context';
import { InterruptedError, describeSystemError } from '../errors';

/** The names used in messages: `standard output`, `standard error`. */
export type StandardStreamName = 'standard output' | 'standard error';

/**
 * A write to standard output or standard error failed. The message names the stream and the
 * reason in words with the system code, e.g.
 * `cannot write to standard output: no space left on device (ENOSPC)`.
 *
 * @param stream - the stream's name.
 * @param cause - the system error.
 * @example
 * ```ts
 * new StreamWriteError('standard output', { code: 'ENOSPC' }).message;
 * // => "cannot write to standard output: no space left on device (ENOSPC)"
 * ```
 */
export class StreamWriteError extends ShallowscapeError {
  /** The stream's name. */
  readonly stream: StandardStreamName;
  /** The system error code (`ENOSPC`), or `undefined` when there is none. */
  readonly errno: string | undefined;
  /** The underlying error. */
  override readonly cause: unknown;

  constructor(stream: StandardStreamName, cause: unknown) {
    super(`cannot write to ${stream}: ${describeSystemError(cause)}`, 'E_STREAM_WRITE', stream);
    this.stream = stream;
    const code = (cause as { code?: unknown } | null)?.code;
    this.errno = typeof code === 'string' ? code : undefined;
    this.cause = cause;
  }
}

/**
 * The error a failed write to `stream` ends the command with: `InterruptedError('SIGPIPE')` for
 * `EPIPE` (quiet, exit 141), a {@link StreamWriteError} otherwise (one line, exit 2).
 *
 * @param stream - the stream's name.
 * @param cause - the system error.
 * @example
 * ```ts
 * streamFailureError('standard output', { code: 'EPIPE' }).message; // => "standard output was closed"
 * streamFailureError('standard output', { code: 'ENOSPC' }).name; // => "StreamWriteError"
 * ```
 */
export function streamFailureError(stream: StandardStreamName, cause: unknown): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET') return new InterruptedError('SIGPIPE');
  return new StreamWriteError(stream, cause);
}

/** The parts of a Node.js writable stream {@link guardOutputStream} uses. */
export interface WritableLike {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  readonly destroyed?: boolean;
}

/** An {@link OutputStream} that catches write failures; see {@link guardOutputStream}. */
export interface GuardedOutputStream extends OutputStream {
  /** The stream's name for messages. */
  readonly streamName: StandardStreamName;
  /**
   * The failure, once a write has failed: `InterruptedError('SIGPIPE')` for EPIPE, a
   * {@link StreamWriteError} otherwise; `undefined` while every write succeeded.
   */
  readonly failure: Error | undefined;
  /** Resolves when everything written so far has been handed to the system (or has failed). */
  flush(): Promise<void>;
}

/**
 * Wraps `stream` so that a failed write never crashes the process: the first failure (from the
 * `'error'` event, a write callback or a synchronous throw) is recorded as
 * {@link GuardedOutputStream.failure}, `onFailure` is called once with it, and later writes are
 * dropped.
 *
 * @param stream - `process.stdout` or `process.stderr` (or any writable stream).
 * @param name - the stream's name for messages.
 * @param onFailure - called once, with the error of {@link streamFailureError}, at the first failure.
 * @returns the guarded stream; pass it to `main()` in place of `stream`.
 * @example
 * ```ts
 * const out = guardOutputStream(process.stdout, 'standard output', (error) => controller.abort(error));
 * out.write('hello\n'); // => true
 * ```
 */
export function guardOutputStream(stream: WritableLike, name: StandardStreamName, onFailure?: (error: Error) => void): GuardedOutputStream {
  let failure: Error | undefined;
  const fail = (error: unknown): void => {
    if (failure !== undefined) return;
    failure = streamFailureError(name, error);
    onFailure?.(failure);
  };
  stream.on('error', fail);
  return {
    streamName: name,
    get failure() {
      return failure;
    },
    write(chunk: string): boolean {
      if (failure !== undefined) return false;
      try {
        return stream.write(chunk, (error) => {
          if (error !== undefined && error !== null) fail(error);
        });
      } catch (error) {
        fail(error);
        return false;
      }
    },
    flush(): Promise<void> {
      return new Promise<void>((resolve) => {
        // Give pending 'error' events (emitted on the next tick) a chance to arrive first.
        const settle = (): void => void setImmediate(resolve);
        if (failure !== undefined || stream.destroyed === true) {
          settle();
          return;
        }
        try {
          stream.write('', () => settle());
        } catch (error) {
          fail(error);
          settle();
        }
      });
    },
  };
}

/**
 * Waits until `stream` has flushed what was written to it, when it can say so (a
 * {@link GuardedOutputStream}); resolves at once for plain streams such as test captures.
 *
 * @param stream - the stream `main()` wrote to.
 * @example
 * ```ts
 * await flushOutput({ write: () => true }); // => undefined
 * ```
 */
export async function flushOutput(stream: OutputStream): Promise<void> {
  const flush = (stream as Partial<GuardedOutputStream>).flush;
  if (typeof flush === 'function') await flush.call(stream);
}

/**
 * The failure recorded by a {@link GuardedOutputStream}, or `undefined` (no failure, or a plain
 * stream).
 *
 * @param stream - the stream `main()` wrote to.
 * @example
 * ```ts
 * outputFailure({ write: () => true }); // => undefined
 * ```
 */
export function outputFailure(stream: OutputStream): Error | undefined {
  return (stream as Partial<GuardedOutputStream>).failure;
}
