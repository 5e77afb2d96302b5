/**
 * The host side of the `wasm-simd` backend's blocked tridiagonalisation (LAPACK `dsytrd`): the
 * working matrix is copied into the module's linear memory once, reduced there panel by panel
 * (`tridiagonalPanel`, LAPACK `dlatrd`, whose symmetric products run in `f64x2` SIMD) with the
 * trailing updates as rank-`2nb` products through the packed micro-kernel
 * (`tridiagonalTrailingUpdate`, `dsyr2k`), and `d`, `e`, `τ` and the reflectors are copied out
 * once. The kernels are in `wasm/assembly/tridiagonal.ts`.
 *
 * @packageDocumentation
 */
import { throwIfAborted } from '../errors';
import type { TridiagonalReduction } from '../decompositions/tridiagonal';
import { evenDoubles as even, reserveBuffers, type WasmSimdWorkspace } from './wasm-simd-workspace';

/**
 * Columns per panel of {@link wasmBlockedTridiagonalize} (LAPACK's `nb`). Measured on one
 * thread (medians of 7): at n = 1000 the reduction takes 61.5 ms with 16, 63 ms with 24, 64 ms
 * with 32 and 67 ms with 48 (wider panels save a little in the trailing products and lose more in
 * the panel's corrections, whose cost grows as nb); at n = 500, 8.6, 8.9, 9.3 and 10 ms.
 */
export const TRIDIAGONAL_PANEL_WIDTH = 16;

/**
 * Reduces the symmetric `scale · A` to tridiagonal form $sA = Q T Q^\top$,
 * $Q = H_0 H_1 \cdots H_{n-2}$, in WebAssembly (blocked Householder, LAPACK `dsytrd` with
 * `uplo = 'L'`): for each panel of `nb` columns, `dlatrd` forms the reflectors
 * $H_c = I - \tau_c v_c v_c^\top$ and $W$ with $A \leftarrow A - V W^\top - W V^\top$ pending,
 * then the trailing block is updated by that rank-`2nb` product. About half of the
 * $\tfrac43 n^3$ flops are the panels' symmetric matrix–vector products (memory-bound, one pass
 * over the trailing lower triangle per column), half the trailing products (compute-bound).
 *
 * Only the lower triangle of `a` is read and `a` is not modified; `scale` must be a power of two
 * (the scaling is then exact). The result is that of {@link householderTridiagonalize} up to
 * rounding (same sign conventions): `reflectors`, when asked for, is an `n × n` array whose upper
 * triangle holds $v_c$ in row `c` (`reflectors[c·n + i]` $= (v_c)_i$ for $i > c$, with
 * $(v_c)_{c+1} = 1$), the layout `applyHouseholderQ` reads; its lower triangle holds work values.
 * Same input, same bits.
 *
 * @param workspace - the module instance and its memory.
 * @param n - order $n \ge 1$.
 * @param a - `n × n` row-major symmetric matrix (lower triangle read).
 * @param scale - power of two applied to `a` on the way in.
 * @param keepReflectors - also return the reflectors (for the back-transformation).
 * @param signal - polled once per panel; aborting it throws `AbortedError`.
 * @param nb - panel width (default {@link TRIDIAGONAL_PANEL_WIDTH}).
 * @returns d, e, τ and the reflectors, or `null` when the working set does not fit the module's
 *   memory cap (the caller then reduces on the reference kernels).
 * @see LAPACK `dsytrd`, `dlatrd`; Dongarra, Hammarling & Sorensen, "Block reduction of matrices
 *   to condensed forms for eigenvalue computations", J. Comput. Appl. Math. 27 (1989).
 */
export function wasmBlockedTridiagonalize(
  workspace: WasmSimdWorkspace,
  n: number,
  a: Float64Array,
  scale: number,
  keepReflectors: boolean,
  signal?: AbortSignal,
  nb = TRIDIAGONAL_PANEL_WIDTH,
): (TridiagonalReduction & { reflectors: Float64Array | null }) | null {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tau = new Float64Array(Math.max(n - 1, 0));
  if (n <= 1) {
    if (n === 1) d[0] = a[0]! * scale;
    return { d, e, tau, reflectors: keepReflectors ? Float64Array.from(a.subarray(0, n * n), (x) => x * scale) : null };
  }
  const ex = workspace.exports;
  const paLen = ex.packedABufferLength();
  const pbLen = even(ex.packedBBufferLength(n, 2 * nb));
  const nLen = even(n);
  const sizes = [16, paLen, pbLen, even(n * n), nLen, nLen, nLen, even(nb * n), even(3 * nb * n), nLen, nLen, 2 * nb];
  const mem = reserveBuffers(workspace, sizes);
  if (mem === null) return null;
  const { at, f64 } = mem;
  const [tile, pa, pb, ap, dp, ep, tp, wt, p, col, y, tmp] = at as [number, number, number, number, number, number, number, number, number, number, number, number];
  f64.set(a.subarray(0, n * n), ap);
  if (scale !== 1) for (let i = ap; i < ap + n * n; i++) f64[i] = f64[i]! * scale;
  for (let k0 = 0; k0 < n - 1; k0 += nb) {
    throwIfAborted(signal, 'the eigendecomposition');
    const b = Math.min(nb, n - 1 - k0);
    ex.tridiagonalPanel(n, ap * 8, k0, b, dp * 8, ep * 8, tp * 8, wt * 8, col * 8, y * 8, tmp * 8);
    ex.tridiagonalTrailingUpdate(n, ap * 8, k0, b, wt * 8, p * 8, pa * 8, pb * 8, tile * 8);
  }
  d.set(f64.subarray(dp, dp + n - 1));
  d[n - 1] = f64[ap + n * n - 1]!;
  e.set(f64.subarray(ep, ep + n - 1));
  tau.set(f64.subarray(tp, tp + n - 1));
  return { d, e, tau, reflectors: keepReflectors ? f64.slice(ap, ap + n * n) : null };
}
