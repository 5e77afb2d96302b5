/**
 * Unchecked level-1 BLAS kernels on `Float64Array`s (`n` entries from offset 0). They assume
 * valid input; the checked wrappers are in `blas1.ts`.
 *
 * @packageDocumentation
 */

/**
 * Unchecked dot product $x^\top y = \sum_{i<n} x_i y_i$ (four independent partial sums).
 * @param n - number of entries.
 * @param x - $x$ (length ≥ `n`).
 * @param y - $y$ (length ≥ `n`).
 * @example
 * ```ts
 * dotKernel(3, Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)); // => 32
 * ```
 */
export function dotKernel(n: number, x: Float64Array, y: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i]! * y[i]!;
    s1 += x[i + 1]! * y[i + 1]!;
    s2 += x[i + 2]! * y[i + 2]!;
    s3 += x[i + 3]! * y[i + 3]!;
  }
  for (; i < n; i++) s0 += x[i]! * y[i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Unchecked $y \leftarrow \alpha x + y$ in place.
 * @param n - number of entries.
 * @param alpha - $\alpha$.
 * @param x - $x$.
 * @param y - $y$, updated.
 * @example
 * ```ts
 * const y = Float64Array.of(1, 1);
 * axpyKernel(2, 3, Float64Array.of(1, 2), y);
 * Array.from(y); // => [4, 7]
 * ```
 */
export function axpyKernel(n: number, alpha: number, x: Float64Array, y: Float64Array): void {
  if (alpha === 0) return;
  for (let i = 0; i < n; i++) y[i] = y[i]! + alpha * x[i]!;
}

/**
 * Unchecked $x \leftarrow \alpha x$ in place.
 * @param n - number of entries.
 * @param alpha - $\alpha$.
 * @param x - $x$, updated.
 * @example
 * ```ts
 * const x = Float64Array.of(1, -2);
 * scalKernel(2, 3, x);
 * Array.from(x); // => [3, -6]
 * ```
 */
export function scalKernel(n: number, alpha: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) x[i] = alpha * x[i]!;
}

// Blue's scaling constants for IEEE double (LAPACK 3.10 dnrm2.f90, Anderson 2017):
// squares of |x| in [TSML, TBIG] neither overflow nor underflow; smaller ones are scaled up by
// SSML, larger ones down by SBIG before squaring.
const TSML = 2 ** -511;
const TBIG = 2 ** 486;
const SSML = 2 ** 537;
const SBIG = 2 ** -538;

/**
 * Unchecked Euclidean norm $\|x\|_2 = \sqrt{\sum_i x_i^2}$ without overflow or harmful
 * underflow (Blue's algorithm, as in LAPACK 3.10 `dnrm2`): one pass with three accumulators
 * for small, medium and large magnitudes. The entries are `x[offset + i·stride]`,
 * `i = 0 … n−1` (BLAS `incx`), so a row, a column or a sub-vector of a larger array needs no copy.
 * @param n - number of entries.
 * @param x - storage of $x$.
 * @param offset - index of $x_0$ in `x` (default 0).
 * @param stride - distance between consecutive entries, at least 1 (default 1).
 * @see E. Anderson, "Algorithm 978: Safe scaling in the Level 1 BLAS", ACM TOMS 44(1), 2017.
 * @see J. L. Blue, "A portable Fortran program to find the Euclidean norm of a vector", ACM TOMS 4(1), 1978.
 * @example
 * ```ts
 * nrm2Kernel(2, Float64Array.of(3e300, 4e300)); // => 5e300
 * nrm2Kernel(2, Float64Array.of(9, 3, 9, 4), 1, 2); // => 5
 * ```
 */
export function nrm2Kernel(n: number, x: Float64Array, offset = 0, stride = 1): number {
  let asml = 0;
  let amed = 0;
  let abig = 0;
  let notBig = true;
  for (let i = 0, t = offset; i < n; i++, t += stride) {
    const ax = Math.abs(x[t]!);
    if (ax > TBIG) {
      const t = ax * SBIG;
      abig += t * t;
      notBig = false;
    } else if (ax < TSML) {
      if (notBig) {
        const t = ax * SSML;
        asml += t * t;
      }
    } else {
      amed += ax * ax;
    }
  }
  if (abig > 0) {
    // Medium values may still matter when added to the big ones.
    if (amed > 0 || Number.isNaN(amed)) abig += amed * SBIG * SBIG;
    return Math.sqrt(abig) / SBIG;
  }
  if (asml > 0) {
    if (amed > 0 || Number.isNaN(amed)) {
      const med = Math.sqrt(amed);
      const sml = Math.sqrt(asml) / SSML;
      const ymin = sml > med ? med : sml;
      const ymax = sml > med ? sml : med;
      const r = ymin / ymax;
      return ymax * Math.sqrt(1 + r * r);
    }
    return Math.sqrt(asml) / SSML;
  }
  return Math.sqrt(amed);
}

/**
 * Unchecked sum of magnitudes $\|x\|_1 = \sum_i |x_i|$.
 * @param n - number of entries.
 * @param x - $x$.
 * @example
 * ```ts
 * asumKernel(3, Float64Array.of(1, -2, 3)); // => 6
 * ```
 */
export function asumKernel(n: number, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[i]!);
  return s;
}

/**
 * Unchecked index of the first entry of largest magnitude, $\arg\max_i |x_i|$ (0-based), or
 * `-1` when `n = 0`.
 * @param n - number of entries.
 * @param x - $x$.
 * @example
 * ```ts
 * iamaxKernel(4, Float64Array.of(1, -5, 5, 2)); // => 1
 * ```
 */
export function iamaxKernel(n: number, x: Float64Array): number {
  let best = -1;
  let max = -1;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]!);
    if (a > max) {
      max = a;
      best = i;
    }
  }
  return best;
}
