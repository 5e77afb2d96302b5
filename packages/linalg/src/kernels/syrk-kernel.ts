import { packedProduct } from './gemm-kernel';

/**
 * Copies the strict lower triangle of the row-major `n × n` matrix `c` onto its upper triangle,
 * so that `c` is exactly symmetric.
 */
export function mirrorLowerToUpper(n: number, c: Float64Array): void {
  const B = 32;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(i0 + B, n);
    for (let j0 = 0; j0 <= i0; j0 += B) {
      const j1 = Math.min(j0 + B, n);
      for (let i = i0; i < i1; i++) {
        const jEnd = Math.min(j1, i);
        for (let j = j0; j < jEnd; j++) c[j * n + i] = c[i * n + j]!;
      }
    }
  }
}

/**
 * Unchecked symmetric rank-k update on row-major arrays:
 * $C \leftarrow \alpha A A^\top + \beta C$ ($A$ is $n \times k$), or with `transpose`
 * $C \leftarrow \alpha A^\top A + \beta C$ ($A$ is $k \times n$).
 *
 * Computes only the lower triangle (half the flops of `gemm`, through the same packed
 * micro-kernel) and mirrors it, so the full `c` is written and exactly symmetric. Only the lower
 * triangle of the incoming `c` is read; `β = 0` ignores it entirely (NaN included).
 * Assumes valid input: the checked wrapper is {@link syrk}.
 *
 * @param transpose - form $A^\top A$ instead of $A A^\top$.
 * @param n - order of $C$.
 * @param k - the inner dimension.
 * @param alpha - $\alpha$.
 * @param a - $A$, row-major (`n × k`, or `k × n` with `transpose`).
 * @param beta - $\beta$.
 * @param c - $C$ (`n × n`, row-major), overwritten; must not share storage with `a`.
 * @example
 * ```ts
 * const c = new Float64Array(4);
 * syrkKernel(false, 2, 1, 1, Float64Array.of(1, 2), 0, c);
 * Array.from(c); // => [1, 2, 2, 4]
 * ```
 */
export function syrkKernel(
  transpose: boolean,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  beta: number,
  c: Float64Array,
): void {
  if (beta !== 1) {
    for (let i = 0; i < n; i++) {
      const row = i * n;
      if (beta === 0) c.fill(0, row, row + i + 1);
      else for (let j = row; j <= row + i; j++) c[j] = beta * c[j]!;
    }
  }
  // AAᵀ: op(A) = A (n × k), op(B) = Aᵀ with B = A stored n × k.
  // AᵀA: op(A) = Aᵀ with A stored k × n, op(B) = A (k × n).
  // Either way both operands are the stored A with row stride k (n × k) or n (k × n).
  const lda = transpose ? n : k;
  packedProduct(transpose, !transpose, n, n, k, alpha, a, 0, lda, a, 0, lda, c, 0, n, true, null);
  mirrorLowerToUpper(n, c);
}
