/**
 * Householder QR factorisation, optionally with column pivoting (LAPACK `dgeqp3`/`dlaqp2`
 * style), and the Householder building blocks shared with the SVD and least-squares solvers.
 *
 * Storage: the kernels work on the transpose `Aᵀ` (row `l` of the work array is column `l` of
 * `A`), so that every reflection, column swap and norm recomputation touches contiguous memory.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import { nrm2Kernel } from '../kernels/blas1-kernels';
import { gemmStridedKernel, type StridedGemm } from '../kernels/gemm-kernel';
import { Matrix } from '../matrix';
import { assertFiniteNumber, checkMatrix } from '../validate';

const SQRT_EPS = Math.sqrt(Number.EPSILON);

// The SVD imports the strided norm from here under its former name; it is the BLAS-1 kernel.

/**
 * Scalars of the Householder reflector `H = I − τ v vᵀ` with `H [α; x] = [β; 0]` and
 * `v = [1; x / (α − β)]` (LAPACK `dlarfg` convention: `β = −sign(α)·‖[α; x]‖`, `τ = (β − α)/β`;
 * `τ = 0` and `β = α` when `x = 0`). Writes `β` to `out[0]` and the divisor `α − β` to `out[1]`;
 * returns `τ`. Unchecked kernel.
 */
export function householderScalars(alpha: number, xnorm: number, out: Float64Array): number {
  if (xnorm === 0) {
    out[0] = alpha;
    out[1] = 1;
    return 0;
  }
  let beta = Math.hypot(alpha, xnorm);
  if (alpha >= 0) beta = -beta;
  out[0] = beta;
  out[1] = alpha - beta;
  return (beta - alpha) / beta;
}

/** The signature of {@link reflectRowsKernel}. */
export type ReflectRows = typeof reflectRowsKernel;

/**
 * Applies one reflector from the right to rows `r0 ≤ r < r1` of the row-major array `x` (row
 * stride `ld`): on the segment of `len` entries starting at column `c0`,
 * $x \leftarrow x (I - \tau v v^\top)$ with `v = [1, v[vo + 1], …, v[vo + len − 1]]` (the
 * entry `v[vo]` is not read; the leading 1 is implicit). Rows are processed four at a time.
 * Unchecked kernel.
 */
export function reflectRowsKernel(
  x: Float64Array,
  ld: number,
  r0: number,
  r1: number,
  c0: number,
  len: number,
  v: Float64Array,
  vo: number,
  tau: number,
): void {
  if (tau === 0 || len === 0) return;
  let r = r0;
  for (; r + 3 < r1; r += 4) {
    const a = r * ld + c0;
    const b = a + ld;
    const c = b + ld;
    const d = c + ld;
    let s0 = x[a]!;
    let s1 = x[b]!;
    let s2 = x[c]!;
    let s3 = x[d]!;
    for (let l = 1; l < len; l++) {
      const vl = v[vo + l]!;
      s0 += x[a + l]! * vl;
      s1 += x[b + l]! * vl;
      s2 += x[c + l]! * vl;
      s3 += x[d + l]! * vl;
    }
    s0 *= tau;
    s1 *= tau;
    s2 *= tau;
    s3 *= tau;
    x[a] = x[a]! - s0;
    x[b] = x[b]! - s1;
    x[c] = x[c]! - s2;
    x[d] = x[d]! - s3;
    for (let l = 1; l < len; l++) {
      const vl = v[vo + l]!;
      x[a + l] = x[a + l]! - s0 * vl;
      x[b + l] = x[b + l]! - s1 * vl;
      x[c + l] = x[c + l]! - s2 * vl;
      x[d + l] = x[d + l]! - s3 * vl;
    }
  }
  for (; r < r1; r++) {
    const a = r * ld + c0;
    let s0 = x[a]!;
    for (let l = 1; l < len; l++) s0 += x[a + l]! * v[vo + l]!;
    s0 *= tau;
    x[a] = x[a]! - s0;
    for (let l = 1; l < len; l++) x[a + l] = x[a + l]! - s0 * v[vo + l]!;
  }
}

/**
 * Applies a sequence of `k` reflectors from the right to the `rows × cols` row-major array `x`:
 * $X \leftarrow X H_{j_1} H_{j_2} \cdots$ with `j` running `k−1, …, 0` (`descending`) or
 * `0, …, k−1`. Reflector `j` is `H_j = I − τ_j v_j v_jᵀ` with `v_j` stored in row `j` of `v`
 * (row stride `ldv`) on columns `[j + shift, cols)`, its first entry an implicit 1.
 * With `identityStart`, row `r` of `x` must be the unit vector `e_r` on entry, which lets the
 * descending sweep skip the reflectors that leave it unchanged (`j > r`). Rows are processed in
 * groups of four so each group stays in cache while the reflectors stream past.
 * Unchecked kernel.
 */
export function applyReflectorsKernel(
  x: Float64Array,
  rows: number,
  cols: number,
  v: Float64Array,
  ldv: number,
  shift: number,
  tau: Float64Array,
  k: number,
  descending: boolean,
  identityStart = false,
): void {
  for (let r0 = 0; r0 < rows; r0 += 4) {
    const r1 = Math.min(r0 + 4, rows);
    if (descending) {
      const jStart = identityStart ? Math.min(k - 1, r1 - 1) : k - 1;
      for (let j = jStart; j >= 0; j--) {
        const c0 = j + shift;
        if (c0 >= cols) continue;
        reflectRowsKernel(x, cols, r0, r1, c0, cols - c0, v, j * ldv + c0, tau[j]!);
      }
    } else {
      for (let j = 0; j < k; j++) {
        const c0 = j + shift;
        if (c0 >= cols) continue;
        reflectRowsKernel(x, cols, r0, r1, c0, cols - c0, v, j * ldv + c0, tau[j]!);
      }
    }
  }
}

/** Reflectors per block in {@link applyReflectorsBlockedKernel}. */
const REFLECTOR_BLOCK = 32;

/**
 * Blocked form of {@link applyReflectorsKernel} (without `identityStart`): groups of up to 32
 * reflectors are applied at once in the compact WY form
 * $H_{j_0} \cdots H_{j_1 - 1} = I - V T V^\top$ (LAPACK `dlarft`/`dlarfb`), so that the work is
 * matrix products instead of a chain of dot products: the panel's Gram matrix $P P^\top$ (for
 * $T$), $Y = X P^\top$, $Y T$ and $X - (Y T) P$.
 * Same arguments and result as {@link applyReflectorsKernel}; the products run on `gemm`
 * (default the TypeScript `gemmStridedKernel`; a backend's through `stridedGemmOver`), so every
 * gemm of the package gives the same bits. From 64 rows and four blocks the blocks work on
 * $X^\top$, whose rows they change in place. Unchecked kernel.
 *
 * @see Schreiber & Van Loan, "A storage-efficient WY representation for products of Householder
 *   transformations", SIAM J. Sci. Stat. Comput. 10 (1989) 53–57.
 */
export function applyReflectorsBlockedKernel(
  x: Float64Array,
  rows: number,
  cols: number,
  v: Float64Array,
  ldv: number,
  shift: number,
  tau: Float64Array,
  k: number,
  descending: boolean,
  gemm: StridedGemm = gemmStridedKernel,
): void {
  // Reflectors that start at or beyond the last column are the identity.
  const kEff = Math.max(0, Math.min(k, cols - shift));
  if (kEff === 0 || rows === 0) return;
  const nbMax = REFLECTOR_BLOCK;
  const panel = new Float64Array(nbMax * cols);
  const t = new Float64Array(nbMax * nbMax);
  const y = new Float64Array(rows * nbMax);
  const y2 = new Float64Array(rows * nbMax);
  const gram = new Float64Array(nbMax * nbMax);
  const nBlocks = Math.ceil(kEff / nbMax);
  // With many rows and several blocks, the blocks act on Xᵀ (cols × rows): the columns c0… of X
  // that a block changes are then the contiguous rows c0… of Xᵀ, which reach a backend's gemm in
  // place (two transposes instead of copies of X in and out at every block). The choice depends on
  // the shapes alone, so every gemm of the package makes the same products and gives the same bits.
  const xt =
    rows >= TRANSPOSED_MIN_ROWS && nBlocks >= TRANSPOSED_MIN_BLOCKS
      ? transposeKernel(rows, cols, x, new Float64Array(rows * cols))
      : null;
  for (let bi = 0; bi < nBlocks; bi++) {
    const b = descending ? nBlocks - 1 - bi : bi;
    const j0 = b * nbMax;
    const nb = Math.min(nbMax, kEff - j0);
    // Otherwise a block whose reflectors start within the first quarter of the columns is applied
    // over whole rows (the panel padded with `pad` zero columns, exact zeros added), so that X
    // reaches a backend's gemm as it is rather than copied.
    const first = j0 + shift;
    const pad = xt === null && first * 4 <= cols ? first : 0;
    const c0 = first - pad;
    const len = cols - c0;
    // Panel P (nb × len): row p = v_{j0+p} on columns first …, zeros before its leading 1.
    panel.fill(0, 0, nb * len);
    for (let p = 0; p < nb; p++) {
      const po = p * len + pad;
      panel[po + p] = 1;
      const src = (j0 + p) * ldv + first;
      for (let l = p + 1; l < len - pad; l++) panel[po + l] = v[src + l]!;
    }
    // T (nb × nb, upper triangular): T[p][p] = τ_p, T[0:p, p] = −τ_p T[0:p, 0:p] G[0:p, p] with the
    // Gram matrix G = P Pᵀ of the panel (one product).
    gemm(false, true, nb, nb, len, 1, panel, 0, len, panel, 0, len, 0, gram, 0, nb);
    t.fill(0, 0, nb * nb);
    for (let p = 0; p < nb; p++) {
      const tp = tau[j0 + p]!;
      t[p * nb + p] = tp;
      if (tp === 0 || p === 0) continue;
      for (let q = 0; q < p; q++) {
        let sum = 0;
        for (let r = q; r < p; r++) sum += t[q * nb + r]! * gram[r * nb + p]!;
        t[q * nb + p] = -tp * sum;
      }
    }
    // Y = X[:, c0:] Pᵀ  (rows × nb, row stride nbMax).
    if (xt === null) gemm(false, true, rows, nb, len, 1, x, c0, cols, panel, 0, len, 0, y, 0, nbMax);
    else gemm(true, true, rows, nb, len, 1, xt, c0 * rows, rows, panel, 0, len, 0, y, 0, nbMax);
    // Y2 = Y T (ascending: X (I − V T Vᵀ)) or Y Tᵀ (descending: X (I − V Tᵀ Vᵀ)), the zeros of T
    // adding exact zeros.
    gemm(false, descending, rows, nb, nb, 1, y, 0, nbMax, t, 0, nb, 0, y2, 0, nbMax);
    // X[:, c0:] −= Y2 P, or Xᵀ[c0:, :] −= Pᵀ Y2ᵀ.
    if (xt === null) gemm(false, false, rows, len, nb, -1, y2, 0, nbMax, panel, 0, len, 1, x, c0, cols);
    else gemm(true, true, len, rows, nb, -1, panel, 0, len, y2, 0, nbMax, 1, xt, c0 * rows, rows);
  }
  if (xt !== null) transposeKernel(cols, rows, xt, x);
}

/** Rows of X and blocks of reflectors from which {@link applyReflectorsBlockedKernel} works on Xᵀ. */
const TRANSPOSED_MIN_ROWS = 64;
const TRANSPOSED_MIN_BLOCKS = 4;

/**
 * Householder QR of `A` (`m × n`) stored transposed: `at` is `Aᵀ` row-major (`n × m`, row `l`
 * = column `l` of `A`) and is overwritten. With `k = min(m, n)`, on return
 * `R[i][l] = at[l·m + i]` for `i ≤ l`, and reflector `j < k` has `v_j = [1, at[j·m + j + 1 …]]`
 * with scalar `tau[j]`, so that $A P = H_0 H_1 \cdots H_{k-1} R$.
 *
 * With `perm` (length `n`, filled here), column pivoting picks at step `j` the remaining column
 * of largest partial norm (first on ties) and downdates the partial norms as LAPACK `dlaqp2`
 * does, recomputing a norm whenever cancellation has left less than `√ε` of it; `perm[j]` is the
 * original index of the column in position `j`. Unchecked kernel.
 *
 * @see Businger & Golub, "Linear least squares solutions by Householder transformations" (1965);
 *   Drmač & Bujanović, "On the failure of rank-revealing QR factorization software" (2008).
 */
export function householderQrTransposedKernel(
  m: number,
  n: number,
  at: Float64Array,
  tau: Float64Array,
  perm: Int32Array | null,
): void {
  const k = Math.min(m, n);
  const scratch = new Float64Array(2);
  let vn1: Float64Array | null = null;
  let vn2: Float64Array | null = null;
  if (perm !== null) {
    vn1 = new Float64Array(n);
    vn2 = new Float64Array(n);
    for (let l = 0; l < n; l++) {
      perm[l] = l;
      const norm = nrm2Kernel(m, at, l * m);
      vn1[l] = norm;
      vn2[l] = norm;
    }
  }
  for (let j = 0; j < k; j++) {
    if (vn1 !== null && vn2 !== null && perm !== null) {
      let p = j;
      let best = vn1[j]!;
      for (let l = j + 1; l < n; l++) {
        if (vn1[l]! > best) {
          best = vn1[l]!;
          p = l;
        }
      }
      if (p !== j) {
        const oj = j * m;
        const op = p * m;
        for (let i = 0; i < m; i++) {
          const t = at[oj + i]!;
          at[oj + i] = at[op + i]!;
          at[op + i] = t;
        }
        const tp = perm[j]!;
        perm[j] = perm[p]!;
        perm[p] = tp;
        vn1[p] = vn1[j]!;
        vn2[p] = vn2[j]!;
      }
    }
    const t = reflectorOfRow(m, at, j, tau, scratch);
    reflectRowsKernel(at, m, j + 1, n, j, m - j, at, j * m + j, t);
    if (vn1 !== null && vn2 !== null) {
      for (let l = j + 1; l < n; l++) {
        const norm = vn1[l]!;
        if (norm === 0) continue;
        let temp = Math.abs(at[l * m + j]!) / norm;
        temp = 1 - temp * temp;
        if (temp < 0) temp = 0;
        const ratio = norm / vn2[l]!;
        if (temp * ratio * ratio <= SQRT_EPS) {
          const fresh = j + 1 < m ? nrm2Kernel(m - j - 1, at, l * m + j + 1) : 0;
          vn1[l] = fresh;
          vn2[l] = fresh;
        } else {
          vn1[l] = norm * Math.sqrt(temp);
        }
      }
    }
  }
}

/**
 * Step `j` of Householder QR in transposed storage: the reflector that zeroes row `j` of `at`
 * (column `j` of `A`) beyond entry `j`, with `β` written in place, `v` below it and `τ` in `tau[j]`.
 * Returns `τ`. `scratch` holds two numbers.
 */
function reflectorOfRow(m: number, at: Float64Array, j: number, tau: Float64Array, scratch: Float64Array): number {
  const o = j * m;
  const t = householderScalars(at[o + j]!, nrm2Kernel(m - j - 1, at, o + j + 1), scratch);
  if (t !== 0) {
    const denom = scratch[1]!;
    for (let i = j + 1; i < m; i++) at[o + i] = at[o + i]! / denom;
  }
  at[o + j] = scratch[0]!;
  tau[j] = t;
  return t;
}

/** Columns per panel of {@link householderQrTransposedBlockedKernel}. */
export const QR_PANEL = 32;

/**
 * Blocked Householder QR of `A` (`m × n`) in the transposed storage and with the result of
 * {@link householderQrTransposedKernel} without pivoting (LAPACK `dgeqrf`): panels of 32 columns
 * are factored one reflector at a time, and each panel's reflectors reach the trailing columns at
 * once in the compact WY form ({@link applyReflectorsBlockedKernel}), whose two products run on
 * `gemm`. That is where $2mn^2 - \tfrac23 n^3$ of the flops go, so a fast `gemm` makes the whole
 * factorisation fast. `reflectRows` applies each reflector to the rest of its panel (default
 * {@link reflectRowsKernel}; a replacement must give its bits). Unchecked kernel.
 *
 * @see Schreiber & Van Loan (1989), the compact WY form; LAPACK `dgeqrf`.
 */
export function householderQrTransposedBlockedKernel(
  m: number,
  n: number,
  at: Float64Array,
  tau: Float64Array,
  gemm: StridedGemm,
  reflectRows: ReflectRows = reflectRowsKernel,
): void {
  const k = Math.min(m, n);
  const scratch = new Float64Array(2);
  for (let j0 = 0; j0 < k; j0 += QR_PANEL) {
    const j1 = Math.min(j0 + QR_PANEL, k);
    for (let j = j0; j < j1; j++) {
      const t = reflectorOfRow(m, at, j, tau, scratch);
      reflectRows(at, m, j + 1, j1, j, m - j, at, j * m + j, t);
    }
    if (j1 < n) {
      applyReflectorsBlockedKernel(at.subarray(j1 * m, n * m), n - j1, m, at.subarray(j0 * m), m, j0, tau.subarray(j0, j1), j1 - j0, false, gemm);
    }
  }
}

/** `out = inᵀ` for a row-major `rows × cols` array (blocked for cache). Unchecked kernel. */
export function transposeKernel(rows: number, cols: number, input: Float64Array, out: Float64Array): Float64Array {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(i0 + B, rows);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(j0 + B, cols);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * rows + i] = input[i * cols + j]!;
      }
    }
  }
  return out;
}

/** Options of {@link qr}. */
export interface QrOptions {
  /** Column pivoting (`AP = QR` with `|r_00| ≥ |r_11| ≥ …`); default `false`. */
  pivoting?: boolean;
  /**
   * Absolute threshold for the numerical rank: `rank = #{j : |r_jj| > tolerance}`. Finite and
   * `≥ 0`; default `max(m, n) · ε · max_j |r_jj|` with `ε = 2⁻⁵²`.
   */
  tolerance?: number;
}

/** Result of {@link qr}. */
export interface QrResult {
  /** `Q`, `m × k` with orthonormal columns, `k = min(m, n)`. */
  q: Matrix;
  /** `R`, `k × n` upper triangular (trapezoidal when `n > m`). */
  r: Matrix;
  /** With pivoting: `permutation[j]` is the column of `A` moved to position `j` (`AP = QR`). */
  permutation?: Int32Array;
  /** Numerical rank: the number of `|r_jj|` above the tolerance (rank-revealing with pivoting). */
  rank: number;
}

/**
 * Householder QR factorisation $A P = Q R$, thin, with optional column pivoting and a
 * numerical rank.
 *
 * Without pivoting `P = I`. With pivoting the columns are chosen greedily by largest remaining
 * norm, so $|r_{00}| \ge |r_{11}| \ge \cdots$ and the rank read off the diagonal is reliable in
 * practice (exceptions exist, e.g. Kahan's matrix; use {@link rank} from the SVD for a
 * guarantee). Without pivoting the rank is only an estimate: a zero `r_jj` does not imply a
 * rank drop of the remaining columns.
 *
 * @param a - `A`, `m × n`, finite.
 * @param options - `pivoting` (default `false`) and the rank `tolerance` (absolute, default
 *   `max(m, n)·ε·max_j|r_jj|`).
 * @returns `q` (`m × k`, `QᵀQ = I`), `r` (`k × n` upper triangular), `permutation` (with
 *   pivoting) and `rank`.
 * @throws {@link InvalidArgumentError} when `a` is not a Matrix or the tolerance is negative
 *   or not finite.
 * @throws {@link NonFiniteError} for NaN or infinite entries.
 * @see Golub & Van Loan, *Matrix Computations* (4th ed.), §5.2 and §5.4.2; LAPACK `dgeqp3`.
 * @example
 * ```ts
 * const { q, r, rank } = qr(Matrix.from([[3, 0], [4, 0]]));
 * rank; // => 1
 * Math.abs(r.get(0, 0)); // => 5
 * ```
 */
export function qr(a: Matrix, options: QrOptions = {}): QrResult {
  checkMatrix('a', a);
  const pivoting = options.pivoting ?? false;
  if (typeof pivoting !== 'boolean') throw new InvalidArgumentError('options.pivoting', pivoting, 'a boolean');
  if (options.tolerance !== undefined) {
    assertFiniteNumber('options.tolerance', options.tolerance);
    if (options.tolerance < 0) throw new InvalidArgumentError('options.tolerance', options.tolerance, 'a finite number ≥ 0');
  }
  const m = a.rows;
  const n = a.cols;
  const k = Math.min(m, n);
  const at = transposeKernel(m, n, a.data, new Float64Array(m * n));
  const tau = new Float64Array(k);
  const perm = pivoting ? new Int32Array(n) : null;
  householderQrTransposedKernel(m, n, at, tau, perm);

  const r = new Float64Array(k * n);
  let maxDiag = 0;
  for (let i = 0; i < k; i++) {
    for (let l = i; l < n; l++) r[i * n + l] = at[l * m + i]!;
    maxDiag = Math.max(maxDiag, Math.abs(r[i * n + i]!));
  }
  const tol = options.tolerance ?? Math.max(m, n) * Number.EPSILON * maxDiag;
  let rank = 0;
  for (let i = 0; i < k; i++) if (Math.abs(r[i * n + i]!) > tol) rank++;

  const qt = new Float64Array(k * m);
  for (let i = 0; i < k; i++) qt[i * m + i] = 1;
  applyReflectorsKernel(qt, k, m, at, m, 0, tau, k, true, true);
  const q = transposeKernel(k, m, qt, new Float64Array(m * k));

  const result: QrResult = { q: new Matrix(m, k, q), r: new Matrix(k, n, r), rank };
  if (perm !== null) result.permutation = perm;
  return result;
}
