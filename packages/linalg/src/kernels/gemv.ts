import { resolveKernel, type LinalgBackend } from '../backend';
import { ShapeError } from '../errors';
import type { Matrix } from '../matrix';
import { assertFiniteVector, assertVector } from '../validate';
import { booleanOption, checkOperand, checkOptions, checkVectorOperand, scalarOption, unaliased } from './check-operands';

/** Options of {@link gemv}. */
export interface GemvOptions {
  /** Use $A^\top$ instead of $A$ (default `false`). */
  trans?: boolean;
  /** $\alpha$ (default 1). */
  alpha?: number;
  /** $\beta$ (default 0); only meaningful with `y`. */
  beta?: number;
  /** $y$, written in place and returned; a new vector when omitted. */
  y?: Float64Array;
  /** The backend to run on (default: the current default backend). */
  backend?: LinalgBackend;
}

/**
 * Matrix–vector product: $y \leftarrow \alpha\,\mathrm{op}(A)\,x + \beta y$ with
 * $\mathrm{op}(A) \in \{A, A^\top\}$.
 *
 * BLAS semantics: with `beta = 0` (the default) the content of `y` is ignored, NaN included.
 * An operand sharing storage with `y` is copied first.
 *
 * @param a - $A$, `m × n`.
 * @param x - $x$: length `n` (or `m` with `trans`).
 * @param options - `trans`, `alpha` ($\alpha$, default 1), `beta` ($\beta$, default 0), `y` ($y$: length `m`, or `n` with `trans`), `backend`.
 * @returns $y$: `options.y` when given, else a new vector.
 * @throws {@link InvalidArgumentError} for a non-matrix `a`, a non-Float64Array `x`/`y`, a non-boolean flag, non-finite `alpha`/`beta`, or a malformed backend.
 * @throws {@link ShapeError} when the length of `x` or `y` does not match $\mathrm{op}(A)$.
 * @throws {@link NonFiniteError} for a NaN or infinite entry of `a`, `x`, or of `y` when `beta ≠ 0`.
 * @example
 * ```ts
 * const a = Matrix.from([[1, 2, 3], [4, 5, 6]]);
 * Array.from(gemv(a, Float64Array.of(1, 0, -1))); // => [-2, -2]
 * Array.from(gemv(a, Float64Array.of(1, 1), { trans: true })); // => [5, 7, 9]
 * ```
 */
export function gemv(a: Matrix, x: Float64Array, options?: GemvOptions): Float64Array {
  checkOperand('a', a);
  const opts = checkOptions('options', options);
  const trans = booleanOption('trans', opts.trans);
  const alpha = scalarOption('alpha', opts.alpha, 1);
  const beta = scalarOption('beta', opts.beta, 0);
  const lenx = trans ? a.rows : a.cols;
  const leny = trans ? a.cols : a.rows;
  checkVectorOperand('x', x);
  if (x.length !== lenx) {
    throw new ShapeError(
      `x has length ${x.length}, expected ${trans ? 'a.rows' : 'a.cols'} = ${lenx}${trans ? ' (trans)' : ''} (a is ${a.rows}×${a.cols})`,
      'x',
    );
  }
  let y: Float64Array;
  if (opts.y === undefined) {
    y = new Float64Array(leny);
  } else {
    assertVector('y', opts.y);
    y = opts.y;
    if (y.length !== leny) {
      throw new ShapeError(
        `y has length ${y.length}, expected ${trans ? 'a.cols' : 'a.rows'} = ${leny}${trans ? ' (trans)' : ''} (a is ${a.rows}×${a.cols})`,
        'y',
      );
    }
    if (beta !== 0) assertFiniteVector('y', y);
  }
  resolveKernel('gemv', opts.backend)(trans, a.rows, a.cols, alpha, unaliased(a.data, y), unaliased(x, y), opts.y === undefined ? 0 : beta, y);
  return y;
}
