/**
 * The `wasm-simd` backend's back-transformation $Z \leftarrow Q Z$ of `eigh` (LAPACK `dormtr`):
 * the reflectors applied in compact-WY blocks (`dlarft` + `dlarfb`), every product of it on the
 * module's packed micro-kernel, with `Z` in linear memory from the first block to the last.
 *
 * @packageDocumentation
 */
import { throwIfAborted } from '../errors';
import { evenDoubles as even, reserveBuffers, type WasmSimdWorkspace } from './wasm-simd-workspace';

/**
 * Reflectors per compact-WY block of {@link wasmApplyHouseholderQ}. Measured on one thread
 * (medians of 5, n = 500 / 1000): 16 → 10.2 / 77.6 ms, 32 → 10.3 / 76.2, 48 → 10.8 / 76.8,
 * 64 → 11.7 / 78.3; flat, the products running near the micro-kernel's peak for any of them.
 */
export const HOUSEHOLDER_BLOCK = 32;

/**
 * $Z \leftarrow Q Z$ with $Q = H_0 H_1 \cdots H_{n-3}$, $H_k = I - \tau_k v_k v_k^\top$, the
 * reflectors of a tridiagonal reduction (`reflectors[k·n + i]` $= (v_k)_i$ for $i > k$,
 * $(v_k)_{k+1} = 1$; the layout of `householderTridiagonalize` and `wasmBlockedTridiagonalize`),
 * in WebAssembly: blocks of `nb` reflectors, last block first, each in the compact WY form
 * $H_k \cdots H_{k+b-1} = I - V T V^\top$ (LAPACK `dlarft`: $T$ upper triangular,
 * $T_{rr} = \tau_r$, $T_{0:r,r} = -\tau_r T_{0:r,0:r} (V^\top V)_{0:r,r}$), applied as
 * $Z \leftarrow Z - (V T)(V^\top Z)$ (`dlarfb`): the Gram matrix $V^\top V$, $(VT)^\top = T^\top V^\top$,
 * $V^\top Z$ and the update are four packed products, about $2n^3$ flops in all.
 *
 * @param workspace - the module instance and its memory.
 * @param n - order $n$.
 * @param reflectors - `n × n`, reflectors in the upper triangle (not modified).
 * @param tau - $\tau_k$ (length ≥ n − 2).
 * @param z - `n × n` row-major, overwritten with $QZ$.
 * @param signal - polled once per block; aborting it throws `AbortedError`.
 * @param nb - reflectors per block (default {@link HOUSEHOLDER_BLOCK}).
 * @returns `false` (and `z` untouched) when the working set does not fit the module's memory cap.
 * @see Schreiber & Van Loan, SIAM J. Sci. Stat. Comput. 10 (1989); LAPACK `dormtr`, `dlarft`, `dlarfb`.
 */
export function wasmApplyHouseholderQ(
  workspace: WasmSimdWorkspace,
  n: number,
  reflectors: Float64Array,
  tau: Float64Array,
  z: Float64Array,
  signal?: AbortSignal,
  nb = HOUSEHOLDER_BLOCK,
): boolean {
  const count = n - 2; // H_0 … H_{n−3}; H_{n−2} has τ = 0
  if (count <= 0) return true;
  const ex = workspace.exports;
  const paLen = ex.packedABufferLength();
  const pbLen = even(ex.packedBBufferLength(n, n));
  const sizes = [16, paLen, pbLen, even(n * n), even(nb * n), even(nb * n), even(nb * nb), even(nb * nb), even(nb * n)];
  const mem = reserveBuffers(workspace, sizes);
  if (mem === null) return false;
  const { at, f64 } = mem;
  const [tile, pa, pb, zp, vt, vtt, sp, tp, prod] = at as [number, number, number, number, number, number, number, number, number];
  f64.set(z.subarray(0, n * n), zp);
  const t = new Float64Array(nb * nb);
  const col = new Float64Array(nb);
  for (let kb = Math.floor((count - 1) / nb) * nb; kb >= 0; kb -= nb) {
    throwIfAborted(signal, 'the eigendecomposition');
    const b = Math.min(nb, count - kb);
    const rowStart = kb + 1;
    const m = n - rowStart;
    // Vᵀ (b × m): row r is v_{kb+r} over rows rowStart.., zero before its unit in column r.
    for (let r = 0; r < b; r++) {
      const row = vt + r * m;
      const k = kb + r;
      f64.fill(0, row, row + r);
      f64[row + r] = 1;
      f64.set(reflectors.subarray(k * n + k + 2, k * n + n), row + r + 1);
    }
    // S = Vᵀ V (b × b), then T (dlarft, forward, columnwise) in plain arithmetic: b³/6 flops.
    ex.scaleBlock(b, b, 0, sp * 8, b, 0);
    ex.packedProduct(0, 1, b, b, m, 1, vt * 8, m, vt * 8, m, sp * 8, b, 0, 0, pa * 8, pb * 8, tile * 8, 0);
    t.fill(0);
    for (let r = 0; r < b; r++) {
      const tr = tau[kb + r]!;
      for (let q = 0; q < r; q++) col[q] = -tr * f64[sp + q * b + r]!;
      for (let q = 0; q < r; q++) {
        let s = 0;
        for (let p = q; p < r; p++) s += t[q * b + p]! * col[p]!;
        t[q * b + r] = s;
      }
      t[r * b + r] = tr;
    }
    f64.set(t.subarray(0, b * b), tp);
    // (VT)ᵀ = Tᵀ Vᵀ (b × m).
    ex.scaleBlock(b, m, 0, vtt * 8, m, 0);
    ex.packedProduct(1, 0, b, m, b, 1, tp * 8, b, vt * 8, m, vtt * 8, m, 0, 0, pa * 8, pb * 8, tile * 8, 0);
    // Vᵀ Z (b × n), then Z ← Z − (VT)(Vᵀ Z) on rows rowStart...
    const zr = (zp + rowStart * n) * 8;
    ex.scaleBlock(b, n, 0, prod * 8, n, 0);
    ex.packedProduct(0, 0, b, n, m, 1, vt * 8, m, zr, n, prod * 8, n, 0, 0, pa * 8, pb * 8, tile * 8, 0);
    ex.packedProduct(1, 0, m, n, b, -1, vtt * 8, m, prod * 8, n, zr, n, 0, 0, pa * 8, pb * 8, tile * 8, 0);
  }
  z.set(f64.subarray(zp, zp + n * n));
  return true;
}
