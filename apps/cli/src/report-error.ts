/**
 * The one top-level error handler (changesets style). Library code and commands throw; only
 * this function turns errors into messages and exit codes:
 *
 * | error                                                         | stderr                                | exit |
 * |---------------------------------------------------------------|---------------------------------------|------|
 * | `InterruptedError('SIGINT')` (Ctrl-C)                         | `shallowscape: interrupted`           | 130  |
 * | `InterruptedError('SIGTERM')`                                 | `shallowscape: terminated`            | 143  |
 * | `InterruptedError('SIGPIPE')` (standard output's reader left) | nothing                               | 141  |
 * | typed errors: `ShallowscapeError`, `UsageError`, `FileError`, or any error whose `code` starts with `E_` | `shallowscape: error: <message>` | 2 |
 * | a Node.js file-system error (has `syscall`, `path`, `code`)   | `shallowscape: error: cannot <op> "<path>": <reason>` | 2 |
 * | `RangeError` of a failed allocation (`Invalid typed array length`, `Array buffer allocation failed`) | `shallowscape: error: out of memory: ...` | 2 |
 * | anything else (a bug)                                         | `shallowscape: internal error: <message>` (+ stack with `SHALLOWSCAPE_DEBUG=1`) | 1 |
 *
 * Messages are folded onto one line; typed errors never print a stack trace.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';
import type { CliIo } from './context';
import { InterruptedError, STOP_EXIT_CODES, describeSystemError, type StopSignal } from './errors';
import { PROGRAM } from './help';

/** Exit code for usage and input errors. */
export const USAGE_EXIT_CODE = 2;
/** Exit code for internal errors (bugs) and failed checks. */
export const FAILURE_EXIT_CODE = 1;

/**
 * Folds a message onto one line: newlines and the whitespace around them become one space.
 *
 * @param message - any text.
 * @example
 * ```ts
 * oneLine('first\n   second\n'); // => "first second"
 * ```
 */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * True for library and CLI typed errors, including copies from another bundle (duck-typed).
 *
 * @param error - anything thrown.
 * @example
 * ```ts
 * isTypedError(Object.assign(new Error('x'), { code: 'E_X' })); // => true
 * isTypedError(new TypeError('x')); // => false
 * ```
 */
export function isTypedError(error: unknown): error is Error & { code: string } {
  if (error instanceof ShallowscapeError) return true;
  if (error === null || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('E_') && typeof message === 'string';
}

interface SystemError {
  code: string;
  syscall: string;
  path: string;
}

function isSystemError(error: unknown): error is SystemError {
  if (error === null || typeof error !== 'object') return false;
  const e = error as Partial<SystemError>;
  return typeof e.code === 'string' && typeof e.syscall === 'string' && typeof e.path === 'string';
}

/** A `RangeError` from allocating a typed array, an `ArrayBuffer` or an array that is too large. */
function isAllocationFailure(error: unknown): error is RangeError {
  return (
    error instanceof RangeError &&
    /^(Invalid typed array length|Array buffer allocation failed|Invalid array length|Invalid array buffer length)/.test(error.message)
  );
}

const WRITE_SYSCALLS = new Set(['write', 'rename', 'unlink', 'mkdir', 'rmdir', 'copyfile', 'symlink', 'fsync', 'ftruncate']);

/**
 * Prints `error` as one line on `io.stderr` (see the table above) and returns the exit code.
 * @param error - anything thrown.
 * @param io - the streams and environment (`SHALLOWSCAPE_DEBUG=1` adds internal stack traces).
 * @example
 * ```ts
 * // writes "shallowscape: error: a is 2×3, b is 4×5" on io.stderr
 * reportError(new ShapeError('a is 2×3, b is 4×5'), io); // => 2
 * ```
 */
export function reportError(error: unknown, io: Pick<CliIo, 'stderr' | 'env'>): number {
  if (error instanceof InterruptedError || (isTypedError(error) && error.code === 'E_INTERRUPTED')) {
    const given = (error as { signal?: unknown }).signal;
    const signal: StopSignal = given === 'SIGTERM' || given === 'SIGPIPE' ? given : 'SIGINT';
    if (signal === 'SIGINT') io.stderr.write(`${PROGRAM}: interrupted\n`);
    if (signal === 'SIGTERM') io.stderr.write(`${PROGRAM}: terminated\n`);
    return STOP_EXIT_CODES[signal];
  }
  if (isTypedError(error)) {
    io.stderr.write(`${PROGRAM}: error: ${oneLine(error.message) || error.code}\n`);
    return USAGE_EXIT_CODE;
  }
  if (isSystemError(error)) {
    const operation = WRITE_SYSCALLS.has(error.syscall) ? 'write' : 'read';
    io.stderr.write(`${PROGRAM}: error: cannot ${operation} ${JSON.stringify(error.path)}: ${describeSystemError(error)}\n`);
    return USAGE_EXIT_CODE;
  }
  if (isAllocationFailure(error)) {
    // A safety net: commands check their sizes against the memory budget before allocating
    // (resources/memory-budget.ts), so this means an estimate missed an array.
    io.stderr.write(
      `${PROGRAM}: error: out of memory: an array of the requested size cannot be allocated (${oneLine(error.message)}); use smaller sizes\n`,
    );
    return USAGE_EXIT_CODE;
  }
  const message = error instanceof Error ? oneLine(error.message) || error.name : oneLine(String(error));
  io.stderr.write(`${PROGRAM}: internal error: ${message}\n`);
  if (io.env.SHALLOWSCAPE_DEBUG === '1' && error instanceof Error && error.stack !== undefined) {
    io.stderr.write(`${error.stack}\n`);
  }
  return FAILURE_EXIT_CODE;
}
