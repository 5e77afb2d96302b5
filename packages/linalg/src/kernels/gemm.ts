import { resolveKernel, type LinalgBackend } from '../backend';
import { ShapeError } from '../errors';
import { Matrix } from '../matrix';
import { productOutput } from './product-output';
import { assertFiniteMatrix } from '../validate';
import { booleanOption, checkOperand, checkOptions, checkOutputMatrix, scalarOption, unaliased } from './check-operands';

/** Options of {@link gemm}. */
export interface GemmOptions {
  /** Use $A^\top$ instead of $A$ (default `false`). */
  transA?: boolean;
  /** Use $B^\top$ instead of $B$ (default `false`). */
  transB?: boolean;
  /** $\alpha$ (default 1). */
  alpha?: number;
  /** $\beta$ (default 0); only meaningful with `c`. */
  beta?: number;
  /** $C$, written in place and returned; a new matrix when omitted. */
  c?: Matrix;
  /** The backend to run on (default: the current default backend). */
  backend?: LinalgBackend;
}

/** `"a.rows"`/`"a.cols"` and the value, for the dimension of `x` that `op(x)` puts at `which`. */
function describeDim(name: string, m: Matrix, trans: boolean, which: 'rows' | 'cols'): [string, number] {
  const dim = (which === 'rows') !== trans ? 'rows' : 'cols';
  return [`${name}.${dim}`, m[dim]];
}

/**
 * General matrix product: $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ with
 * $\mathrm{op}(X) \in \{X, X^\top\}$.
 *
 * Validates once, then runs the backend's `gemm` kernel (by default the cache-blocked,
 * register-tiled {@link gemmKernel}). BLAS semantics: with `beta = 0` (the default) the content
 * of `c` is ignored, NaN included; with `c` omitted a new zero matrix is used, so `beta` has no
 * effect. An operand sharing storage with `c` is copied first.
 *
 * @param a - $A$: `m × k` (or `k × m` with `transA`).
 * @param b - $B$: `k × n` (or `n × k` with `transB`).
 * @param options - `transA`, `transB`, `alpha` ($\alpha$, default 1), `beta` ($\beta$, default 0), `c` ($C$, `m × n`), `backend`.
 * @returns $C$ (`m × n`): `options.c` when given, else a new matrix.
 * @throws {@link InvalidArgumentError} for a non-matrix operand, non-boolean flags, non-finite `alpha`/`beta`, or a malformed backend.
 * @throws {@link ShapeError} when the inner dimensions of $\mathrm{op}(A)$ and $\mathrm{op}(B)$ differ, or `c` is not `m × n`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry of `a`, `b`, or of `c` when `beta ≠ 0`.
 * @see K. Goto, R. van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008.
 * @example
 * ```ts
 * const a = Matrix.from([[1, 2], [3, 4]]);
 * const b = Matrix.from([[5, 6], [7, 8]]);
 * gemm(a, b).toArray(); // => [[19, 22], [43, 50]]
 * gemm(a, b, { transA: true, alpha: 2 }).toArray(); // => [[52, 60], [76, 88]]
 * ```
 */
export function gemm(a: Matrix, b: Matrix, options?: GemmOptions): Matrix {
  checkOperand('a', a);
  checkOperand('b', b);
  const opts = checkOptions('options', options);
  const transA = booleanOption('transA', opts.transA);
  const transB = booleanOption('transB', opts.transB);
  const alpha = scalarOption('alpha', opts.alpha, 1);
  const beta = scalarOption('beta', opts.beta, 0);
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (kb !== k) {
    const [bDim, bValue] = describeDim('b', b, transB, 'rows');
    const [aDim, aValue] = describeDim('a', a, transA, 'cols');
    const bWhat = bDim === 'b.rows' ? 'rows' : 'columns';
    throw new ShapeError(
      `b has ${bValue} ${bWhat}${transB ? ' (transB)' : ''}, expected ${aDim} = ${aValue}${transA ? ' (transA)' : ''} (a is ${a.rows}×${a.cols}, b is ${b.rows}×${b.cols})`,
      'b',
    );
  }
  let c: Matrix;
  if (opts.c === undefined) {
    c = productOutput(m, n);
  } else {
    c = checkOutputMatrix('c', opts.c);
    if (c.rows !== m || c.cols !== n) {
      throw new ShapeError(`c is ${c.rows}×${c.cols}, expected op(a).rows × op(b).cols = ${m}×${n}`, 'c');
    }
    if (beta !== 0) assertFiniteMatrix('c', c);
  }
  const kernel = resolveKernel('gemm', opts.backend);
  kernel(transA, transB, m, n, k, alpha, unaliased(a.data, c.data), unaliased(b.data, c.data), opts.c === undefined ? 0 : beta, c.data);
  return c;
}

/**
 * Matrix product $AB$ (a new matrix); shorthand for `gemm(a, b)`.
 *
 * @param a - $A$, `m × k`.
 * @param b - $B$, `k × n`.
 * @returns $AB$, `m × n`.
 * @throws {@link ShapeError} when `b.rows ≠ a.cols`.
 * @throws {@link NonFiniteError} for a NaN or infinite entry.
 * @throws {@link InvalidArgumentError} for a non-matrix operand.
 * @example
 * ```ts
 * matmul(Matrix.from([[1, 2]]), Matrix.from([[3], [4]])).toArray(); // => [[11]]
 * ```
 */
export function matmul(a: Matrix, b: Matrix): Matrix {
  return gemm(a, b);
}
