import { resolveKernel, type LinalgBackend } from '../backend';
import { ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { productOutput } from './product-output';
import { assertFiniteMatrix, assertSymmetric } from '../validate';
import { booleanOption, checkOperand, checkOptions, checkOutputMatrix, scalarOption, unaliased } from './check-operands';

/** Options of {@link syrk}. */
export interface SyrkOptions {
  /** Form $A^\top A$ instead of $A A^\top$ (default `false`). */
  transpose?: boolean;
  /** $\alpha$ (default 1). */
  alpha?: number;
  /** $\beta$ (default 0); only meaningful with `c`. */
  beta?: number;
  /** Symmetric $C$, written in place and returned; a new matrix when omitted. */
  c?: Matrix;
  /** The backend to run on (default: the current default backend). */
  backend?: LinalgBackend;
}

/**
 * Symmetric rank-k update: $C \leftarrow \alpha A A^\top + \beta C$, or with `transpose`
 * $C \leftarrow \alpha A^\top A + \beta C$; the full symmetric matrix is returned.
 *
 * The reference kernel ({@link syrkKernel}) computes one triangle, half the flops of the
 * equivalent {@link gemm}, and mirrors it, so the result is exactly symmetric. With
 * `beta ≠ 0`, `c` must be symmetric (within the default tolerance of `assertSymmetric`); with
 * `beta = 0` (the default) its content is ignored.
 *
 * @param a - $A$: `n × k` (or `k × n` with `transpose`).
 * @param options - `transpose`, `alpha` ($\alpha$, default 1), `beta` ($\beta$, default 0), `c` ($C$, `n × n`), `backend`.
 * @returns $C$ (`n × n`): `options.c` when given, else a new matrix.
 * @throws {@link InvalidArgumentError} for a non-matrix operand, a non-boolean flag, non-finite `alpha`/`beta`, or a malformed backend.
 * @throws {@link ShapeError} when `c` is not `n × n`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry of `a`, or of `c` when `beta ≠ 0`.
 * @throws {@link NotSymmetricError} when `beta ≠ 0` and `c` is not symmetric.
 * @example
 * ```ts
 * const a = Matrix.from([[1, 2], [3, 4], [5, 6]]);
 * syrk(a).toArray(); // => [[5, 11, 17], [11, 25, 39], [17, 39, 61]]
 * syrk(a, { transpose: true }).toArray(); // => [[35, 44], [44, 56]]
 * ```
 */
export function syrk(a: Matrix, options?: SyrkOptions): Matrix {
  checkOperand('a', a);
  const opts = checkOptions('options', options);
  const transpose = booleanOption('transpose', opts.transpose);
  const alpha = scalarOption('alpha', opts.alpha, 1);
  const beta = scalarOption('beta', opts.beta, 0);
  const n = transpose ? a.cols : a.rows;
  const k = transpose ? a.rows : a.cols;
  let c: Matrix;
  if (opts.c === undefined) {
    c = productOutput(n, n);
  } else {
    c = checkOutputMatrix('c', opts.c);
    if (c.rows !== n || c.cols !== n) {
      throw new ShapeError(
        `c is ${c.rows}×${c.cols}, expected ${n}×${n} (${transpose ? 'a.cols' : 'a.rows'} = ${n}; a is ${a.rows}×${a.cols})`,
        'c',
      );
    }
    if (beta !== 0) {
      assertFiniteMatrix('c', c);
      assertSymmetric('c', c);
    }
  }
  const kernel = resolveKernel('syrk', opts.backend);
  kernel(transpose, n, k, alpha, unaliased(a.data, c.data), opts.c === undefined ? 0 : beta, c.data);
  return c;
}
