/**
 * Typed errors thrown by every Shallowscape package. Library code throws them; only the CLI
 * turns them into one-line messages and exit code 2.
 *
 * @packageDocumentation
 */

/** Formats a value for an error message: short, single line, never a stack of digits. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  const shape = value as { rows?: unknown; cols?: unknown };
  if (typeof shape.rows === 'number' && typeof shape.cols === 'number') return `${shape.rows}×${shape.cols} matrix`;
  return typeof value;
}

/**
 * Base class of all Shallowscape errors: a one-line message naming the argument and its value.
 * `code` is stable and machine-readable.
 */
export class ShallowscapeError extends Error {
  /** Stable machine-readable error code, e.g. `"E_SHAPE"`. */
  readonly code: string;
  /** Name of the offending argument (or file), when there is one. */
  readonly argument: string | undefined;

  constructor(message: string, code = 'E_SHALLOWSCAPE', argument?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.argument = argument;
  }
}

/** An argument has an invalid value (negative size, out-of-range option, wrong type). */
export class InvalidArgumentError extends ShallowscapeError {
  readonly value: unknown;
  constructor(argument: string, value: unknown, expected: string) {
    super(`invalid ${argument}: ${describeValue(value)} (expected ${expected})`, 'E_ARGUMENT', argument);
    this.value = value;
  }
}

/** Matrix or vector dimensions do not agree. */
export class ShapeError extends ShallowscapeError {
  constructor(message: string, argument?: string) {
    super(message, 'E_SHAPE', argument);
  }
}

/** A NaN or infinite entry where finite numbers are required. */
export class NonFiniteError extends ShallowscapeError {
  /** Flat (row-major) index of the first offending entry. */
  readonly index: number;
  readonly value: number;
  constructor(argument: string, index: number, value: number, where?: string) {
    super(`${argument} has a non-finite entry ${describeValue(value)} at ${where ?? `index ${index}`}`, 'E_NONFINITE', argument);
    this.index = index;
    this.value = value;
  }
}

/** A matrix that must be symmetric is not, beyond the stated tolerance. */
export class NotSymmetricError extends ShallowscapeError {
  constructor(argument: string, i: number, j: number, asymmetry: number, tol: number) {
    super(
      `${argument} is not symmetric: |a[${i}][${j}] - a[${j}][${i}]| = ${asymmetry.toExponential(3)} exceeds ${tol.toExponential(3)}`,
      'E_NOT_SYMMETRIC',
      argument,
    );
  }
}

/** A matrix lacks a property a factorisation needs (e.g. positive definiteness for Cholesky). */
export class NotPositiveDefiniteError extends ShallowscapeError {
  constructor(argument: string, pivot: number, value: number) {
    super(
      `${argument} is not positive definite: pivot ${pivot} is ${describeValue(value)}`,
      'E_NOT_POSITIVE_DEFINITE',
      argument,
    );
  }
}

/** An iterative algorithm failed to converge within its iteration budget. */
export class ConvergenceError extends ShallowscapeError {
  constructor(message: string) {
    super(message, 'E_CONVERGENCE');
  }
}

/** A square system is singular to working precision (raised by `solve`). */
export class SingularMatrixError extends ShallowscapeError {
  /** Elimination step at which the pivot was too small. */
  readonly pivot: number;
  /** Magnitude of the best available pivot. */
  readonly value: number;
  constructor(argument: string, pivot: number, value: number, tolerance: number) {
    super(
      `${argument} is singular to working precision: pivot ${pivot} is ${value.toExponential(3)}, at most ${tolerance.toExponential(3)} (use lstsq for singular systems)`,
      'E_SINGULAR',
      argument,
    );
    this.pivot = pivot;
    this.value = value;
  }
}

/**
 * A long computation stopped because the `AbortSignal` it was given was aborted (Ctrl-C or
 * SIGTERM in the CLI, a cancelled job in a sweep). Functions that accept a `signal` poll it
 * between iterations and throw this error; what they had finished is lost only inside the call.
 *
 * `code` is `"E_ABORTED"`.
 *
 * @example
 * ```ts
 * new AbortedError('lifted solve').message; // => "lifted solve was aborted"
 * ```
 */
export class AbortedError extends ShallowscapeError {
  constructor(what = 'the computation') {
    super(`${what} was aborted`, 'E_ABORTED');
  }
}

/**
 * Throws {@link AbortedError} when `signal` is given and aborted; a cheap check for the loops of
 * long computations.
 *
 * @param signal - the caller's signal, or `undefined` (never aborted).
 * @param what - the computation, for the message.
 * @throws {@link AbortedError} when aborted.
 * @example
 * ```ts
 * const controller = new AbortController();
 * throwIfAborted(controller.signal, 'eigh') === undefined; // => true
 * controller.abort();
 * throwIfAborted(controller.signal, 'eigh'); // throws AbortedError
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted === true) throw new AbortedError(what);
}
