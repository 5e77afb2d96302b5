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
};

/** Describes a Node.js system error (`{ code: 'ENOENT', ... }`) in words, keeping the code. */
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

  constructor(path: string, operation: 'read' | 'write', cause: unknown) {
    super(`cannot ${operation} ${JSON.stringify(path)}: ${describeSystemError(cause)}`, 'E_FILE', path);
    this.path = path;
    this.cause = cause;
  }
}

/**
 * The user pressed Ctrl-C and the running command stopped at a safe point (see `interrupt.ts`).
 * The handler prints `shallowscape: interrupted` and exits with code 130.
 */
export class InterruptedError extends ShallowscapeError {
  constructor() {
    super('interrupted', 'E_INTERRUPTED');
  }
}
