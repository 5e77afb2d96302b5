/**
 * The divide-and-conquer SVD of an upper bidiagonal matrix (Gu–Eisenstat), the role of LAPACK
 * `dbdsdc` with vectors. Internal, unchecked.
 *
 * @packageDocumentation
 */
import { gemmStridedKernel, type StridedGemm } from '../kernels/gemm-kernel';
import { solveSingularSecularEquation } from './secular-equation';
import { safeHypot } from './tridiagonal';
import { bidiagonalQr } from './bidiagonal-qr';
import { BOTH, BOTTOM, TOP, mergeBlockProduct } from './merge-block-product';
import { RotationLog } from './rotation-log';

const EPS = Number.EPSILON;

/** Bidiagonal blocks with at most this many rows are solved by the QR iteration (LAPACK's SMLSIZ). */
export const BIDIAGONAL_DIVIDE_CONQUER_LEAF = 25;

/**
 * The SVD of an `n × (n + sqre)` upper bidiagonal block: `s` (n values, in no particular order),
 * `ut` (n × n, row j the left vector of `s[j]`) and `vt` (m × m with m = n + sqre, row j < n the
 * right vector of `s[j]`, row n, when sqre = 1, a unit vector of the null space).
 */
interface BlockSvd {
  s: Float64Array;
  ut: Float64Array;
  vt: Float64Array;
}

/**
 * Singular values and vectors of the upper bidiagonal $B$ (diagonal `d`, superdiagonal `e`):
 * $B = U \operatorname{diag}(\sigma) V^\top$ (unchecked kernel).
 *
 * $B$ is scaled by a power of two to unit norm, then solved recursively: a block of more than 25
 * rows is split at its middle row $k$ into the $k \times (k+1)$ block above it, the block below
 * it and the row itself ($\alpha = d_k$, $\beta = e_k$). In the bases of the halves' singular
 * vectors the block becomes $M$, whose first row is $z^\top$ (from $\alpha$ and $\beta$ times the
 * halves' right vectors) and whose other rows are $d_i e_i^\top$, $d_0 = 0$; the extra column of
 * a non-square block is rotated into the first. Deflation (LAPACK `dlasd2`) drops entries of $z$
 * below $8\varepsilon\max(|d|, |\alpha|, |\beta|)$ and rotates close poles together; the rest
 * solve the secular equation $1 + \sum_i z_i^2/(d_i^2 - \sigma^2) = 0$
 * ({@link solveSingularSecularEquation}). Löwner's formula gives the weights $\hat z$ for which
 * the computed $\sigma$ are exact, and the vectors
 * $v_j \propto (\hat z_i / (d_i^2 - \sigma_j^2))_i$,
 * $u_j \propto (-1, (d_i \hat z_i / (d_i^2 - \sigma_j^2))_{i \ge 1})$ are then orthogonal to
 * working precision (`dlasd3`). Each merge multiplies the halves' vectors by them in two
 * products, one per half, that skip the zero blocks. Blocks of at most 25 rows go to the bidiagonal QR iteration.
 *
 * @param n - order of B.
 * @param d - diagonal (length n); overwritten with the singular values (≥ 0, descending).
 * @param e - superdiagonal (length ≥ n − 1); not modified.
 * @param gemm - the merges' products (default the reference `gemmStridedKernel`); a product that
 *   computes each entry in an order fixed by the shapes keeps the result deterministic.
 * @returns `ut` and `vt`, n × n row-major, row j the left and right vector of `d[j]`.
 * @throws {@link ConvergenceError} from the secular equation or the QR iteration (not expected).
 * @see Gu & Eisenstat, "A divide-and-conquer algorithm for the bidiagonal SVD", SIAM J. Matrix
 *   Anal. Appl. 16 (1995); Jessup & Sorensen, SIAM J. Matrix Anal. Appl. 15 (1994).
 */
export function bidiagonalSvdDivideConquer(
  n: number,
  d: Float64Array,
  e: Float64Array,
  gemm: StridedGemm = gemmStridedKernel,
): { ut: Float64Array; vt: Float64Array } {
  const ut = new Float64Array(n * n);
  const vt = new Float64Array(n * n);
  if (n === 0) return { ut, vt };
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) norm = Math.max(norm, Math.abs(e[i]!));
  if (norm === 0) {
    for (let i = 0; i < n; i++) {
      d[i] = 0;
      ut[i * n + i] = 1;
      vt[i * n + i] = 1;
    }
    return { ut, vt };
  }
  // Exact power-of-two scaling to unit norm (no square of an entry can overflow), undone at the end.
  const exponent = Math.round(Math.log2(norm));
  const scale = 2 ** -exponent;
  const ds = new Float64Array(n);
  const es = new Float64Array(n);
  for (let i = 0; i < n; i++) ds[i] = d[i]! * scale;
  for (let i = 0; i < n - 1; i++) es[i] = e[i]! * scale;

  const r = solveBlock(n, 0, ds, es, gemm);
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => r.s[q]! - r.s[p]! || p - q);
  const unscale = 2 ** exponent;
  for (let c = 0; c < n; c++) {
    const j = order[c]!;
    d[c] = r.s[j]! * unscale;
    ut.set(r.ut.subarray(j * n, j * n + n), c * n);
    vt.set(r.vt.subarray(j * n, j * n + n), c * n);
  }
  return { ut, vt };
}

/** The SVD of the `n × (n + sqre)` bidiagonal block with diagonal `d[0:n]` and superdiagonal `e[0:n−1+sqre]`. */
function solveBlock(n: number, sqre: 0 | 1, d: Float64Array, e: Float64Array, gemm: StridedGemm): BlockSvd {
  if (n <= BIDIAGONAL_DIVIDE_CONQUER_LEAF) return leafBlock(n, sqre, d, e);
  const nl = n >> 1;
  const nr = n - nl - 1;
  const left = solveBlock(nl, 1, d.subarray(0, nl), e.subarray(0, nl), gemm);
  const right = solveBlock(nr, sqre, d.subarray(nl + 1), e.subarray(nl + 1), gemm);
  return mergeBlocks(nl, nr, sqre, d[nl]!, nr + sqre > 0 ? e[nl]! : 0, left, right, gemm);
}

/**
 * A small block by the bidiagonal QR iteration. A non-square block is first made square: column
 * rotations from the bottom row up move the extra column's entry onto the diagonal
 * ($B G = [B' \; 0]$), and $V = G \operatorname{diag}(V', 1)$, whose last column spans the null space.
 */
function leafBlock(n: number, sqre: 0 | 1, d: Float64Array, e: Float64Array): BlockSvd {
  const m = n + sqre;
  const dl = d.slice(0, n);
  const el = new Float64Array(Math.max(n - 1, 1));
  for (let i = 0; i < n - 1; i++) el[i] = e[i]!;
  let g: Float64Array | null = null; // G, m × m row-major
  if (sqre === 1) {
    g = new Float64Array(m * m);
    for (let i = 0; i < m; i++) g[i * m + i] = 1;
    // x: the extra column's only entry, in row r.
    let x = e[n - 1]!;
    for (let r = n - 1; r >= 0 && x !== 0; r--) {
      const h = safeHypot(dl[r]!, x);
      const c = dl[r]! / h;
      const s = x / h;
      dl[r] = h;
      for (let i = 0; i < m; i++) {
        const a = g[i * m + r]!, b = g[i * m + n]!;
        g[i * m + r] = c * a + s * b;
        g[i * m + n] = c * b - s * a;
      }
      if (r > 0) {
        x = -s * el[r - 1]!;
        el[r - 1] = c * el[r - 1]!;
      }
    }
  }
  const log = new RotationLog(n, null, n);
  bidiagonalQr(n, dl, el, log);
  log.flush();
  const s = new Float64Array(n);
  const ut = new Float64Array(n * n);
  const vt = new Float64Array(m * m);
  for (let c = 0; c < n; c++) {
    const sg = dl[c]! < 0 ? -1 : 1;
    s[c] = Math.abs(dl[c]!);
    for (let i = 0; i < n; i++) ut[c * n + i] = log.ub[i * n + c]!;
    if (g === null) {
      for (let i = 0; i < n; i++) vt[c * m + i] = sg * log.vb[i * n + c]!;
    } else {
      for (let i = 0; i < m; i++) {
        let sum = 0;
        for (let l = 0; l < n; l++) sum += g[i * m + l]! * log.vb[l * n + c]!;
        vt[c * m + i] = sg * sum;
      }
    }
  }
  if (g !== null) for (let i = 0; i < m; i++) vt[n * m + i] = g[i * m + n]!;
  return { s, ut, vt };
}

/**
 * Merges the SVDs of the `nl × (nl + 1)` block above row `nl` and of the `nr × (nr + sqre)` block
 * below it, coupled by that row's `alpha` (column nl) and `beta` (column nl + 1).
 */
function mergeBlocks(nl: number, nr: number, sqre: 0 | 1, alpha: number, beta: number, left: BlockSvd, right: BlockSvd, gemm: StridedGemm): BlockSvd {
  const n = nl + nr + 1;
  const m = n + sqre;
  const ml = nl + 1; // width of the left block
  const mr = nr + sqre; // width of the right block

  // Bases, one vector per row. Index 0: e_nl on the left (M's first row) and the left block's null
  // vector on the right (M's first column, pole 0); index c in 1..nl: the left block's vectors of
  // s[c − 1]; index c in nl+1..n−1: the right block's vectors of s[c − nl − 1]; right index n
  // (sqre = 1): the right block's null vector.
  const ub = new Float64Array(n * n);
  const vb = new Float64Array(m * m);
  const uType = new Uint8Array(n);
  const vType = new Uint8Array(m);
  const dv = new Float64Array(n);
  const z = new Float64Array(m);
  ub[nl] = 1;
  uType[0] = BOTTOM;
  vb.set(left.vt.subarray(nl * ml, nl * ml + ml), 0);
  vType[0] = TOP;
  z[0] = alpha * left.vt[nl * ml + nl]!;
  for (let c = 1; c <= nl; c++) {
    const j = c - 1;
    ub.set(left.ut.subarray(j * nl, j * nl + nl), c * n);
    uType[c] = TOP;
    vb.set(left.vt.subarray(j * ml, j * ml + ml), c * m);
    vType[c] = TOP;
    dv[c] = left.s[j]!;
    z[c] = alpha * left.vt[j * ml + nl]!;
  }
  for (let c = nl + 1; c < n; c++) {
    const j = c - nl - 1;
    ub.set(right.ut.subarray(j * nr, j * nr + nr), c * n + nl + 1);
    uType[c] = BOTTOM;
    vb.set(right.vt.subarray(j * mr, j * mr + mr), c * m + ml);
    vType[c] = BOTTOM;
    dv[c] = right.s[j]!;
    z[c] = beta * right.vt[j * mr]!;
  }
  if (sqre === 1) {
    vb.set(right.vt.subarray(nr * mr, nr * mr + mr), n * m + ml);
    vType[n] = BOTTOM;
    z[n] = beta * right.vt[nr * mr]!;
    // Rotate the extra column into the first: both hold only their entry of z.
    if (z[n] !== 0) {
      const r = safeHypot(z[0]!, z[n]!);
      rotateRows(vb, m, 0, n, z[0]! / r, z[n]! / r);
      z[0] = r;
      z[n] = 0;
      vType[0] = BOTH;
      vType[n] = BOTH;
    }
  }

  let dmax = 0;
  for (let c = 1; c < n; c++) dmax = Math.max(dmax, dv[c]!);
  const tol = 8 * EPS * Math.max(dmax, Math.abs(alpha), Math.abs(beta));

  // Deflation over the poles c ≥ 1 in ascending order: a tiny z[c] leaves the pair (dv[c], basis
  // vectors c) as it is; two close poles are rotated together (the same rotation on both sides),
  // dropping an off-diagonal entry (d_q − d_p) c s of at most tol, so one of them has z = 0.
  const order = Array.from({ length: n - 1 }, (_, i) => i + 1).sort((p, q) => dv[p]! - dv[q]! || p - q);
  const kept: number[] = [0];
  const deflated: number[] = [];
  let pj = -1;
  for (const nj of order) {
    if (Math.abs(z[nj]!) <= tol) {
      z[nj] = 0;
      deflated.push(nj);
      continue;
    }
    if (pj < 0) {
      pj = nj;
      continue;
    }
    const r = safeHypot(z[nj]!, z[pj]!);
    const c = z[nj]! / r;
    const s = -z[pj]! / r;
    const dp = dv[pj]!, dn = dv[nj]!;
    if (Math.abs((dn - dp) * c * s) <= tol) {
      // Row pj ← c·pj + s·nj, row nj ← c·nj − s·pj: z[pj] becomes 0 and z[nj] becomes r.
      rotateRows(ub, n, pj, nj, c, s);
      rotateRows(vb, m, pj, nj, c, s);
      z[nj] = r;
      z[pj] = 0;
      dv[pj] = dp * c * c + dn * s * s;
      dv[nj] = dp * s * s + dn * c * c;
      if (uType[pj] !== uType[nj]) uType[nj] = BOTH;
      if (vType[pj] !== vType[nj]) vType[nj] = BOTH;
      deflated.push(pj);
    } else {
      kept.push(pj);
    }
    pj = nj;
  }
  if (pj >= 0) kept.push(pj);
  // Keep the poles apart from d_0 = 0 and z_0 away from zero (perturbations of at most tol).
  if (kept.length > 1 && dv[kept[1]!]! <= tol / 2) dv[kept[1]!] = tol / 2;
  if (Math.abs(z[0]!) <= tol) z[0] = tol;

  const k = kept.length;
  const sigma = new Float64Array(k);
  // Rows: the basis index kept[i]; columns: singular vector j of M restricted to the kept poles.
  const usec = new Float64Array(k * k);
  const vsec = new Float64Array(k * k);
  if (k === 1) {
    sigma[0] = Math.abs(z[0]!);
    usec[0] = z[0]! < 0 ? -1 : 1;
    vsec[0] = 1;
  } else {
    const poles = new Float64Array(k);
    const weights = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      poles[i] = i === 0 ? 0 : dv[kept[i]!]!;
      weights[i] = z[kept[i]!]!;
    }
    solveSingularSecularEquation(k, poles, weights, sigma, vsec); // vsec holds d_i² − σ_j²
    singularVectorsFromDifferences(k, poles, weights, vsec, usec);
  }

  const outU = mergeBlockProduct(n, nl, k, kept, uType, ub, usec, gemm);
  const outV = mergeBlockProduct(m, ml, k, kept, vType, vb, vsec, gemm);
  const s = new Float64Array(n);
  s.set(sigma, 0);
  const ut = new Float64Array(n * n);
  const vt = new Float64Array(m * m);
  ut.set(outU, 0);
  vt.set(outV, 0);
  for (let t = 0; t < deflated.length; t++) {
    const c = deflated[t]!;
    s[k + t] = dv[c]!;
    ut.set(ub.subarray(c * n, c * n + n), (k + t) * n);
    vt.set(vb.subarray(c * m, c * m + m), (k + t) * m);
  }
  if (sqre === 1) vt.set(vb.subarray(n * m, n * m + m), n * m);
  return { s, ut, vt };
}

/** Rows p ← c·p + s·q and q ← c·q − s·p of the row-major `x` with rows of length `len`. */
function rotateRows(x: Float64Array, len: number, p: number, q: number, c: number, s: number): void {
  const rp = p * len, rq = q * len;
  for (let i = 0; i < len; i++) {
    const a = x[rp + i]!, b = x[rq + i]!;
    x[rp + i] = c * a + s * b;
    x[rq + i] = c * b - s * a;
  }
}

/**
 * The singular vectors of M restricted to the kept poles, from the differences
 * `vsec[i·k + j]` $= d_i^2 - \sigma_j^2$: Löwner's weights
 * $\hat z_i^2 = (\sigma_{k-1}^2 - d_i^2) \prod_{j < i} \frac{\sigma_j^2 - d_i^2}{d_j^2 - d_i^2}
 * \prod_{i \le j < k-1} \frac{\sigma_j^2 - d_i^2}{d_{j+1}^2 - d_i^2}$ (sign of $z_i$), then
 * column j of `vsec` $\propto (\hat z_i / (d_i^2 - \sigma_j^2))_i$ and of `usec`
 * $\propto (-1, (d_i \hat z_i / (d_i^2 - \sigma_j^2))_{i \ge 1})$, both normalised.
 */
function singularVectorsFromDifferences(k: number, d: Float64Array, z: Float64Array, vsec: Float64Array, usec: Float64Array): void {
  const zhat = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const row = i * k;
    const di = d[i]!;
    let p = -vsec[row + k - 1]!;
    for (let j = 0; j < i; j++) p *= -vsec[row + j]! / ((d[j]! - di) * (d[j]! + di));
    for (let j = i; j < k - 1; j++) p *= -vsec[row + j]! / ((d[j + 1]! - di) * (d[j + 1]! + di));
    const magnitude = Math.sqrt(Math.abs(p));
    zhat[i] = z[i]! >= 0 ? magnitude : -magnitude;
  }
  const vnorm = new Float64Array(k);
  const unorm = new Float64Array(k).fill(1); // the −1 of the first row
  for (let i = 0; i < k; i++) {
    const row = i * k;
    const zi = zhat[i]!;
    const di = d[i]!;
    for (let j = 0; j < k; j++) {
      const v = zi / vsec[row + j]!;
      vsec[row + j] = v;
      vnorm[j] = vnorm[j]! + v * v;
      if (i > 0) {
        const u = di * v;
        usec[row + j] = u;
        unorm[j] = unorm[j]! + u * u;
      } else {
        usec[j] = -1;
      }
    }
  }
  for (let j = 0; j < k; j++) {
    vnorm[j] = 1 / Math.sqrt(vnorm[j]!);
    unorm[j] = 1 / Math.sqrt(unorm[j]!);
  }
  for (let i = 0; i < k; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) {
      vsec[row + j] = vsec[row + j]! * vnorm[j]!;
      usec[row + j] = usec[row + j]! * unorm[j]!;
    }
  }
}
