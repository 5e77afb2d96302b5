/**
 * The CLI's own typed errors. Like the library errors they extend, their messages are one line
 * that names the flag, command or file and the offending value; the top-level handler
 * ({@link reportError}) prints them as `shallowscape: error: <message>` with exit code 2.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';

/**
 * The command line itself is wrong: an unknown command or flag, a missing or malformed flag
 * value, a stray positional argument. The message names the flag and the value and says which
 * `--help` to read.
 */
export class UsageError extends ShallowscapeError {
  constructor(message: string, argument?: string) {
    super(message, 'E_USAGE', argument);
  }
}

/**
 * A {@link UsageError} naming `flag` whose message ends with the hint to read the command's `--help`.
 *
 * @param ctx - the running command (its path, e.g. `shallowscape train`).
 * @param message - what is wrong, naming the flag and the value.
 * @param flag - the flag at fault (`--out`).
 */
export function usageError(ctx: { readonly commandPath: string }, message: string, flag: string): UsageError {
  return new UsageError(`${message}; see '${ctx.commandPath} --help'`, flag);
}

/** Readable descriptions of the `errno` codes a user can cause by naming a bad path. */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  EEXIST: 'file already exists',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EPIPE: 'the reader closed the pipe',
  EBADF: 'the file descriptor is closed or not open for writing',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument',
  ENXIO: 'no such device or address',
  ECONNRESET: 'the connection was reset',
};

/**
 * Describes a Node.js system error (`{ code: 'ENOENT', ... }`) in words, keeping the code; any
 * other error by its message.
 *
 * @param cause - a system error, an error, or anything thrown.
 * @example
 * ```ts
 * describeSystemError({ code: 'EROFS' }); // => "read-only file system (EROFS)"
 * describeSystemError(new Error('boom')); // => "boom"
 * ```
 */
export function describeSystemError(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ERRNO_TEXT[code] !== undefined) return `${ERRNO_TEXT[code]} (${code})`;
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

/** A file named on the command line could not be read or written. */
export class FileError extends ShallowscapeError {
  /** The path as the user gave it. */
  readonly path: string;
  /** The underlying system error. */
  override readonly cause: unknown;

  /**
   * @param path - the path as the user gave it.
   * @param operation - what failed.
   * @param cause - the system error.
   * @param argument - the flag that named the file, where the path alone does not say it (default: the path).
   */
  constructor(path: string, operation: 'read' | 'write', cause: unknown, argument: string = path) {
    super(`cannot ${operation} ${JSON.stringify(path)}: ${describeSystemError(cause)}`, 'E_FILE', argument);
    this.path = path;
    this.cause = cause;
  }
}

/** The signals the CLI stops cleanly on. `SIGPIPE` stands for "the reader of standard output went away" (EPIPE). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGPIPE';

/** Exit codes after a stop: 128 + the signal number, as shells report a process killed by it. */
export const STOP_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGPIPE: 141 };

/**
 * The running command was asked to stop (Ctrl-C, SIGTERM, or its standard output was closed) and
 * stopped at a safe point (see `interrupt.ts`). The handler prints `shallowscape: interrupted`
 * (SIGINT, exit 130), `shallowscape: terminated` (SIGTERM, exit 143), or nothing (SIGPIPE: the
 * reader of the output is gone, exit 141).
 *
 * @param signal - what stopped the command (default `'SIGINT'`).
 * @example
 * ```ts
 * new InterruptedError('SIGTERM').exitCode; // => 143
 * new InterruptedError().message; // => "interrupted"
 * ```
 */
export class InterruptedError extends ShallowscapeError {
  /** What stopped the command. */
  readonly signal: StopSignal;

  constructor(signal: StopSignal = 'SIGINT') {
    super(signal === 'SIGTERM' ? 'terminated' : signal === 'SIGPIPE' ? 'standard output was closed' : 'interrupted', 'E_INTERRUPTED');
    this.signal = signal;
  }

  /** The exit code: 130 (SIGINT), 143 (SIGTERM) or 141 (SIGPIPE). */
  get exitCode(): number {
    return STOP_EXIT_CODES[this.signal];
  }
}

/**
 * An output directory (`--out DIR`) cannot be used: it is on a virtual file system, it is a file,
 * a part of its path is a file, it cannot be created or is not writable, or it holds files the
 * new run would have to delete. The one-line message names the flag, the path and the reason in
 * words, e.g. `--out "/mnt/ro/run": cannot create the directory: read-only file system (EROFS)`.
 * The top-level handler prints it with exit code 2.
 *
 * @param flag - the flag that named the directory, e.g. `"--out"`.
 * @param path - the directory as the user gave it.
 * @param reason - what is wrong, in words.
 * @param cause - the underlying system error, if any.
 * @example
 * ```ts
 * new OutDirectoryError('--out', 'f.txt', 'it is a file, not a directory').message;
 * // => '--out "f.txt": it is a file, not a directory'
 * ```
 */
export class OutDirectoryError extends ShallowscapeError {
  /** The path as the user gave it. */
  readonly path: string;
  /** What is wrong, without the flag and the path. */
  readonly reason: string;
  /** The underlying system error, if any. */
  override readonly cause: unknown;

  constructor(flag: string, path: string, reason: string, cause?: unknown) {
    super(`${flag} ${JSON.stringify(path)}: ${reason}`, 'E_OUT_DIRECTORY', flag);
    this.path = path;
    this.reason = reason;
    this.cause = cause;
  }
}
