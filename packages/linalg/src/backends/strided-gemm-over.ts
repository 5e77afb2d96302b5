/**
 * A strided product (`gemmStridedKernel`'s contract) computed by a backend's dense `gemm`.
 *
 * @packageDocumentation
 */
import type { StridedGemm } from '../decompositions/tridiagonal-divide-conquer';
import { gemmStridedKernel } from '../kernels/gemm-kernel';
import type { LinalgBackend } from '../linalg-backend';

/** Products below this many multiply–adds stay on the TypeScript kernel (copying would cost more). */
const COPY_MIN_WORK = 32_768;

/** The `rows × cols` block of `x` at `off` with row stride `ld`, as a dense array (itself when already dense). */
function denseBlock(x: Float64Array, off: number, ld: number, rows: number, cols: number): Float64Array {
  if (ld === cols) return x.subarray(off, off + rows * cols);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(x.subarray(off + r * ld, off + r * ld + cols), r * cols);
  return out;
}

/**
 * A {@link StridedGemm} on `gemm`: $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ on blocks
 * of larger arrays (offsets and row strides). Dense operands (row stride equal to the width) go to
 * `gemm` as subarrays; a strided operand is first copied into a dense array (and a strided $C$ copied
 * back), which costs $O(mk + kn + mn)$ against the product's $2mnk$ flops. Products of fewer than
 * 32 768 multiply–adds run on the TypeScript `gemmStridedKernel`. Deterministic: the same operands
 * give the same bits, whatever `gemm`'s thread count when `gemm` is itself deterministic.
 *
 * @param gemm - a backend's `gemm` kernel.
 * @returns the strided product.
 */
export function stridedGemmOver(gemm: NonNullable<LinalgBackend['gemm']>): StridedGemm {
  return (transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc) => {
    if (m * n * k < COPY_MIN_WORK || m === 0 || n === 0) {
      gemmStridedKernel(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    const ad = denseBlock(a, aOff, lda, transA ? k : m, transA ? m : k);
    const bd = denseBlock(b, bOff, ldb, transB ? n : k, transB ? k : n);
    const cd = denseBlock(c, cOff, ldc, m, n);
    gemm(transA, transB, m, n, k, alpha, ad, bd, beta, cd);
    if (ldc !== n) for (let r = 0; r < m; r++) c.set(cd.subarray(r * n, r * n + n), cOff + r * ldc);
  };
}
