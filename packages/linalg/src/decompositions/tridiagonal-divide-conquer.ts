/**
 * Cuppen's divide-and-conquer eigensolver for symmetric tridiagonal matrices, with the
 * Gu–Eisenstat (Löwner) construction of the eigenvectors. Internal, unchecked.
 *
 * @packageDocumentation
 */
import { gemmStridedKernel, type StridedGemm } from '../kernels/gemm-kernel';
import { transposeKernel } from './qr';
import { BOTH, BOTTOM, TOP, mergeBlockProduct } from './merge-block-product';
import { solveSecularEquation } from './secular-equation';
import { safeHypot } from './tridiagonal';
import { implicitQl } from './tridiagonal-ql';

const EPS = Number.EPSILON;
export type { StridedGemm } from '../kernels/gemm-kernel';

/** Blocks of at most this order are solved by implicit QL (LAPACK's SMLSIZ). */
export const DIVIDE_CONQUER_LEAF = 25;

/**
 * Eigenvalues and eigenvectors of $T = \operatorname{tridiag}(e, d, e)$ (unchecked kernel, the
 * role of LAPACK `dstedc` with `compz = 'I'`).
 *
 * T is split where an off-diagonal is negligible ($|e_i| \le \varepsilon\sqrt{|d_i d_{i+1}|}$);
 * each unreduced block of order ≤ 25 is solved by implicit QL, a larger one by recursive halving
 * $T = \operatorname{diag}(T_1, T_2) + |\beta|\, u u^\top$ and merging: deflation of tiny
 * components and close poles (LAPACK `dlaed2`), the secular equation, Löwner's formula for a
 * weight vector $\hat z$ whose eigenvectors are numerically orthogonal, and one matrix product
 * per merge (`dlaed3`), which exploits the block structure of the eigenvector matrix.
 *
 * @param n - order of T.
 * @param d - diagonal (length n); overwritten with the eigenvalues, ascending.
 * @param e - off-diagonal (length ≥ n − 1); destroyed.
 * @param gemm - the merges' matrix product (default the reference `gemmStridedKernel`); any
 *   product that computes each entry in an order fixed by the shapes keeps the result deterministic.
 * @returns the n × n row-major matrix whose column j is the unit eigenvector of `d[j]`.
 * @throws {@link ConvergenceError} from the QL or secular-equation iterations (not expected).
 * @see Cuppen, Numer. Math. 36 (1981); Gu & Eisenstat, "A divide-and-conquer algorithm for the
 *   symmetric tridiagonal eigenproblem", SIAM J. Matrix Anal. Appl. 16 (1995).
 */
export function tridiagonalEigenDivideConquer(n: number, d: Float64Array, e: Float64Array, gemm: StridedGemm = gemmStridedKernel): Float64Array {
  if (n === 0) return new Float64Array(0);
  const z = new Float64Array(n * n);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) norm = Math.max(norm, Math.abs(e[i]!));
  if (norm === 0) {
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    return z;
  }
  // Exact power-of-two scaling to unit norm, undone at the end.
  const exponent = Math.round(Math.log2(norm));
  const scale = 2 ** -exponent;
  for (let i = 0; i < n; i++) d[i] = d[i]! * scale;
  for (let i = 0; i < n - 1; i++) e[i] = e[i]! * scale;

  // The solver keeps the eigenvectors as the rows of zt (Zᵀ), so that every copy of a merge moves
  // whole vectors (contiguous memory), and transposes once at the end.
  const zt = new Float64Array(n * n);
  const solver = new DivideConquer(n, d, e, zt, gemm);
  let start = 0;
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    const split =
      i === n - 1 || Math.abs(e[i]!) <= EPS * Math.sqrt(Math.abs(d[i]!)) * Math.sqrt(Math.abs(d[i + 1]!));
    if (!split) continue;
    if (i < n - 1) e[i] = 0;
    solver.solve(start, i + 1);
    start = i + 1;
    blocks++;
  }
  const unscale = 2 ** exponent;
  for (let i = 0; i < n; i++) d[i] = d[i]! * unscale;
  return transposeKernel(n, n, blocks > 1 ? sortEigenpairs(n, d, zt) : zt, z);
}

/** Sorts the eigenvalues ascending and the rows of `zt` (the eigenvectors) to match; returns the sorted rows. */
function sortEigenpairs(n: number, d: Float64Array, zt: Float64Array): Float64Array {
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d[p]! - d[q]!);
  if (order.every((p, i) => p === i)) return zt;
  const dv = d.slice();
  const sorted = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const p = order[i]!;
    d[i] = dv[p]!;
    sorted.set(zt.subarray(p * n, p * n + n), i * n);
  }
  return sorted;
}

class DivideConquer {
  constructor(
    private readonly n: number,
    private readonly d: Float64Array,
    private readonly e: Float64Array,
    /** The eigenvectors as rows: row `c` holds the eigenvector of `d[c]` (the transpose of Z). */
    private readonly vt: Float64Array,
    private readonly gemm: StridedGemm,
  ) {}

  /**
   * Eigen-decomposes the unreduced block `[lo, hi)` into `d[lo:hi]` (ascending) and the rows
   * `lo … hi − 1` of `vt` (eigenvector `lo + c` in row `lo + c`, on columns `lo … hi − 1`).
   */
  solve(lo: number, hi: number): void {
    const m = hi - lo;
    if (m <= DIVIDE_CONQUER_LEAF) {
      this.solveLeaf(lo, hi);
      return;
    }
    const mid = lo + (m >> 1);
    const beta = this.e[mid - 1]!;
    this.d[mid - 1] = this.d[mid - 1]! - Math.abs(beta);
    this.d[mid] = this.d[mid]! - Math.abs(beta);
    this.solve(lo, mid);
    this.solve(mid, hi);
    this.merge(lo, mid, hi, beta);
  }

  private solveLeaf(lo: number, hi: number): void {
    const { n, d, e, vt } = this;
    const m = hi - lo;
    const dl = d.slice(lo, hi);
    const el = new Float64Array(m);
    for (let i = 0; i < m - 1; i++) el[i] = e[lo + i]!;
    const zt = new Float64Array(m * m);
    for (let i = 0; i < m; i++) zt[i * m + i] = 1;
    implicitQl(m, dl, el, zt, m);
    const order = Array.from({ length: m }, (_, i) => i).sort((p, q) => dl[p]! - dl[q]!);
    for (let c = 0; c < m; c++) {
      const src = order[c]!;
      d[lo + c] = dl[src]!;
      vt.set(zt.subarray(src * m, src * m + m), (lo + c) * n + lo);
    }
  }

  /**
   * Merges the solved halves `[lo, mid)` and `[mid, hi)` coupled by `beta` = $T_{mid-1,mid}$:
   * the eigen-decomposition of $\operatorname{diag}(D_1, D_2) + 2|\beta|\, w w^\top$ with
   * $w = (Q_1^\top e_{last}; \operatorname{sign}(\beta) Q_2^\top e_1)/\sqrt 2$.
   */
  private merge(lo: number, mid: number, hi: number, beta: number): void {
    const { n, d, vt, gemm } = this;
    const n1 = mid - lo;
    const m = hi - lo;
    const sign = beta >= 0 ? 1 : -1;
    const rho = 2 * Math.abs(beta);
    const w = new Float64Array(m);
    const dv = d.slice(lo, hi);
    for (let j = 0; j < n1; j++) w[j] = vt[(lo + j) * n + mid - 1]! * Math.SQRT1_2;
    for (let j = n1; j < m; j++) w[j] = sign * vt[(lo + j) * n + mid]! * Math.SQRT1_2;

    // Columns of Q = diag(Q1, Q2), stored as rows of qt (m × m) so rotations are contiguous: the
    // rows of vt, each nonzero on its own half only.
    const qt = new Float64Array(m * m);
    for (let c = 0; c < m; c++) {
      const c0 = c < n1 ? 0 : n1;
      const c1 = c < n1 ? n1 : m;
      const src = (lo + c) * n + lo;
      qt.set(vt.subarray(src + c0, src + c1), c * m + c0);
    }
    // Where each column is nonzero: the top n1 rows, the bottom ones, or both (deflated ones are
    // left out of the product).
    const type = new Uint8Array(m);
    for (let c = 0; c < m; c++) type[c] = c < n1 ? TOP : BOTTOM;

    // Merge the two ascending halves into one order.
    const order = new Int32Array(m);
    {
      let p = 0, q = n1;
      for (let t = 0; t < m; t++) {
        if (q >= m || (p < n1 && dv[p]! <= dv[q]!)) order[t] = p++;
        else order[t] = q++;
      }
    }
    let dmax = 0, wmax = 0;
    for (let i = 0; i < m; i++) {
      dmax = Math.max(dmax, Math.abs(dv[i]!));
      wmax = Math.max(wmax, Math.abs(w[i]!));
    }
    const tol = 8 * EPS * Math.max(dmax, wmax);

    const kept: number[] = []; // non-deflated columns, ascending pole order
    const deflated: number[] = [];
    if (rho * wmax > tol) {
      let pj = -1;
      for (let t = 0; t < m; t++) {
        const nj = order[t]!;
        if (rho * Math.abs(w[nj]!) <= tol) {
          deflated.push(nj);
          continue;
        }
        if (pj < 0) {
          pj = nj;
          continue;
        }
        // Two close poles: a Givens rotation zeroes w[pj] if the coupling it drops is tiny.
        const tau = safeHypot(w[nj]!, w[pj]!);
        const c = w[nj]! / tau;
        const s = -w[pj]! / tau;
        const gap = dv[nj]! - dv[pj]!;
        if (Math.abs(gap * c * s) <= tol) {
          w[nj] = tau;
          w[pj] = 0;
          if (type[nj] !== type[pj]) type[nj] = BOTH;
          const rp = pj * m, rn = nj * m;
          for (let r = 0; r < m; r++) {
            const x = qt[rp + r]!, y = qt[rn + r]!;
            qt[rp + r] = c * x + s * y;
            qt[rn + r] = c * y - s * x;
          }
          const dp = dv[pj]!, dn = dv[nj]!;
          dv[pj] = dp * c * c + dn * s * s;
          dv[nj] = dp * s * s + dn * c * c;
          deflated.push(pj);
        } else {
          kept.push(pj);
        }
        pj = nj;
      }
      if (pj >= 0) kept.push(pj);
    } else {
      for (let t = 0; t < m; t++) deflated.push(order[t]!);
    }

    const k = kept.length;
    const lambda = new Float64Array(k);
    // s: k × k, row i = pole i (kept[i]), column j = eigenvector j of the rank-one problem.
    let s: Float64Array = new Float64Array(k * k);
    if (k === 1) {
      const q = kept[0]!;
      lambda[0] = dv[q]! + rho * w[q]! * w[q]!;
      s[0] = 1;
    } else if (k > 1) {
      const poles = new Float64Array(k);
      const weights = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        poles[i] = dv[kept[i]!]!;
        weights[i] = w[kept[i]!]!;
      }
      solveSecularEquation(k, poles, weights, rho, lambda, s); // s holds δ_ij = d_i − λ_j
      s = eigenvectorsFromDifferences(k, poles, weights, s);
    }

    // The new eigenvectors as rows: outT (k × m) = (Q S)ᵀ = Sᵀ Qᵀ, top and bottom halves apart.
    const outT = mergeBlockProduct(m, n1, k, kept, type, qt, s, gemm);

    // Final order: the k roots (ascending) merged with the deflated eigenvalues (sorted).
    deflated.sort((p, q) => dv[p]! - dv[q]!);
    const source = new Int32Array(m); // ≥ 0: root index; < 0: −1 − deflated column
    {
      let p = 0, q = 0;
      for (let t = 0; t < m; t++) {
        if (q >= deflated.length || (p < k && lambda[p]! <= dv[deflated[q]!]!)) {
          d[lo + t] = lambda[p]!;
          source[t] = p++;
        } else {
          const col = deflated[q++]!;
          d[lo + t] = dv[col]!;
          source[t] = -1 - col;
        }
      }
    }
    for (let t = 0; t < m; t++) {
      const src = source[t]!;
      const row = src >= 0 ? outT.subarray(src * m, src * m + m) : qt.subarray((-1 - src) * m, (-1 - src) * m + m);
      vt.set(row, (lo + t) * n + lo);
    }
  }
}

/**
 * Unit eigenvectors of $D + \rho w w^\top$ from the computed differences
 * $\delta_{ij} = d_i - \lambda_j$: Löwner's formula gives the weights $\hat w$ for which the
 * computed $\lambda$ are exact eigenvalues,
 * $\hat w_i^2 \rho = -\prod_j \delta_{ij} / \prod_{j \ne i} (d_i - d_j)$, and column $j$ is
 * $(\hat w_i / \delta_{ij})_i$ normalised. Overwrites and returns `delta`.
 */
function eigenvectorsFromDifferences(k: number, d: Float64Array, w: Float64Array, delta: Float64Array): Float64Array {
  const what = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const row = i * k;
    const di = d[i]!;
    let p = delta[row + i]!;
    for (let j = 0; j < k; j++) if (j !== i) p *= delta[row + j]! / (di - d[j]!);
    const magnitude = Math.sqrt(-p);
    what[i] = w[i]! >= 0 ? magnitude : -magnitude;
  }
  const norms = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const row = i * k;
    const wi = what[i]!;
    for (let j = 0; j < k; j++) {
      const v = wi / delta[row + j]!;
      delta[row + j] = v;
      norms[j] = norms[j]! + v * v;
    }
  }
  for (let j = 0; j < k; j++) norms[j] = 1 / Math.sqrt(norms[j]!);
  for (let i = 0; i < k; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) delta[row + j] = delta[row + j]! * norms[j]!;
  }
  return delta;
}
