/**
 * The error a LAPACK routine's nonzero `info` becomes.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';

/**
 * A LAPACK routine returned `info ≠ 0`: a numerical failure (`info > 0`, e.g. `dpotrf` on a matrix
 * that is not positive definite: the leading minor of order `info` is not) or an illegal
 * argument (`info < 0`, a bug in this package). `code` is `"E_LAPACK"`; the message names the
 * routine, `info` and what it means.
 *
 * @example
 * ```ts
 * const error = new LapackError('dpotrf', 2, 'LAPACK dpotrf failed (info = 2): the leading minor of order 2 is not positive definite (pivot 1)');
 * [error.name, error.code, error.routine, error.info]; // => ["LapackError", "E_LAPACK", "dpotrf", 2]
 * ```
 */
export class LapackError extends ShallowscapeError {
  /** The LAPACK routine, e.g. `"dpotrf"`. */
  readonly routine: string;
  /** The routine's `info`: positive for a numerical failure, negative for an illegal argument. */
  readonly info: number;

  constructor(routine: string, info: number, message: string, argument?: string) {
    super(message, 'E_LAPACK', argument);
    this.routine = routine;
    this.info = info;
  }
}

/**
 * Runs `call` (a call into the addon) and turns the addon's LAPACK errors (an `Error` with
 * `routine` and `info` properties) into {@link LapackError}s naming `argument`; other errors pass
 * through unchanged.
 *
 * @param call - the native call.
 * @param argument - the argument the factorised matrix came from, e.g. `a`.
 * @returns what `call` returns.
 * @throws {@link LapackError} when a LAPACK routine inside `call` reported `info ≠ 0`.
 */
export function withLapackErrors<T>(call: () => T, argument?: string): T {
  try {
    return call();
  } catch (error) {
    const native = error as { routine?: unknown; info?: unknown; message?: unknown } | null;
    if (native !== null && typeof native === 'object' && typeof native.routine === 'string' && typeof native.info === 'number') {
      throw new LapackError(native.routine, native.info, String(native.message), argument);
    }
    throw error;
  }
}
