/**
 * Unchecked matrix–vector product on a row-major array:
 * $y \leftarrow \alpha\,\mathrm{op}(A)\,x + \beta y$ with $A$ of size $m \times n$ and
 * $\mathrm{op}(A) \in \{A, A^\top\}$.
 *
 * Without `trans`, four rows are dotted with `x` at a time; with `trans`, four scaled rows are
 * added into `y` at a time, so both directions read `a` contiguously. BLAS semantics: `β = 0`
 * ignores the incoming `y` (NaN included). Assumes valid input: the checked wrapper is
 * {@link gemv}.
 *
 * @param trans - use $A^\top$ (then `x` has length `m` and `y` length `n`).
 * @param m - rows of $A$.
 * @param n - columns of $A$.
 * @param alpha - $\alpha$.
 * @param a - $A$ (`m × n`, row-major).
 * @param x - $x$ (length `n`, or `m` with `trans`).
 * @param beta - $\beta$.
 * @param y - $y$ (length `m`, or `n` with `trans`), overwritten; must not share storage with `a` or `x`.
 * @example
 * ```ts
 * const y = new Float64Array(2);
 * gemvKernel(false, 2, 2, 1, Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 1), 0, y);
 * Array.from(y); // => [3, 7]
 * ```
 */
export function gemvKernel(
  trans: boolean,
  m: number,
  n: number,
  alpha: number,
  a: Float64Array,
  x: Float64Array,
  beta: number,
  y: Float64Array,
): void {
  const leny = trans ? n : m;
  if (beta === 0) y.fill(0, 0, leny);
  else if (beta !== 1) for (let i = 0; i < leny; i++) y[i] = beta * y[i]!;
  if (alpha === 0 || m === 0 || n === 0) return;
  if (!trans) {
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < n; j++) {
        const xj = x[j]!;
        s0 += a[r0 + j]! * xj;
        s1 += a[r1 + j]! * xj;
        s2 += a[r2 + j]! * xj;
        s3 += a[r3 + j]! * xj;
      }
      y[i] = y[i]! + alpha * s0;
      y[i + 1] = y[i + 1]! + alpha * s1;
      y[i + 2] = y[i + 2]! + alpha * s2;
      y[i + 3] = y[i + 3]! + alpha * s3;
    }
    for (; i < m; i++) {
      const r = i * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += a[r + j]! * x[j]!;
      y[i] = y[i]! + alpha * s;
    }
    return;
  }
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
    const x0 = alpha * x[i]!, x1 = alpha * x[i + 1]!, x2 = alpha * x[i + 2]!, x3 = alpha * x[i + 3]!;
    for (let j = 0; j < n; j++) {
      y[j] = y[j]! + x0 * a[r0 + j]! + x1 * a[r1 + j]! + x2 * a[r2 + j]! + x3 * a[r3 + j]!;
    }
  }
  for (; i < m; i++) {
    const r = i * n;
    const xi = alpha * x[i]!;
    for (let j = 0; j < n; j++) y[j] = y[j]! + xi * a[r + j]!;
  }
}
