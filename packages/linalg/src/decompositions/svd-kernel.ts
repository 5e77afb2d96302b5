/**
 * The unchecked singular value decomposition `A = U diag(s) Vᵀ`, the reference backend's `svd`
 * kernel: Householder bidiagonalisation and the implicit-shift Golub–Kahan QR iteration with
 * Demmel–Kahan zero shifts (the algorithm of LAPACK `dgesvd`/`dbdsqr`).
 *
 * Layout choices that keep the pure-TypeScript kernel O(mn²) with good constants:
 * - wide inputs are transposed, so the work is always on a tall `m × n` matrix (`m ≥ n`);
 * - very tall inputs are first reduced by QR (`m > 8n/3` with vectors, `m > 5n/3` without,
 *   the flop-count crossovers) and the `n × n` factor `R` is decomposed instead;
 * - the Givens rotations of the bidiagonal QR sweeps are logged and applied in batches to the
 *   `n × n` factors `U_B`, `V_B`, row by row, so each row stays in cache while a whole batch of
 *   sweeps passes over it; the Householder back-transformations then act on contiguous rows
 *   of `Uᵀ` and `Vᵀ`.
 *
 * @packageDocumentation
 */
import { ConvergenceError } from '../errors';
import {
  applyReflectorsBlockedKernel,
  applyReflectorsKernel,
  householderQrTransposedKernel,
  householderScalars,
  transposeKernel,
} from './qr';
import { nrm2Kernel } from '../kernels/blas1-kernels';

/** Unit roundoff `2⁻⁵³` (LAPACK `dlamch('E')`), used by the bidiagonal QR tolerances. */
const UNIT_ROUNDOFF = Number.EPSILON / 2;
/** Smallest normalised double (LAPACK `dlamch('S')`). */
const SAFE_MIN = 2.2250738585072014e-308;
/** Iteration budget factor: at most `6n²` inner QR steps (as LAPACK `dbdsqr`). */
const MAX_ITER_FACTOR = 6;

// ---------------------------------------------------------------------------------------------
// Plane rotations and 2 × 2 triangular SVDs
// ---------------------------------------------------------------------------------------------

/** Output slots of {@link planeRotation}: cosine, sine, r. */
const rot = new Float64Array(3);

/**
 * Givens rotation with `[c s; −s c] [f; g] = [r; 0]`, `r = ±hypot(f, g)` with the sign of `f`
 * (LAPACK 3.10 `dlartg`). Writes `c, s, r` to {@link rot}.
 */
function planeRotation(f: number, g: number): void {
  if (g === 0) {
    rot[0] = 1;
    rot[1] = 0;
    rot[2] = f;
    return;
  }
  if (f === 0) {
    rot[0] = 0;
    rot[1] = g > 0 ? 1 : -1;
    rot[2] = Math.abs(g);
    return;
  }
  const sq = f * f + g * g;
  const d = sq > 1e-290 && sq < 1e290 ? Math.sqrt(sq) : Math.hypot(f, g);
  const r = f > 0 ? d : -d;
  rot[0] = Math.abs(f) / d;
  rot[1] = g / r;
  rot[2] = r;
}

/** Output slots of {@link triangularSvd2}: ssmin, ssmax, snr, csr, snl, csl. */
const sv2 = new Float64Array(6);

const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/**
 * SVD of the upper triangular `[f g; 0 h]` (LAPACK `dlasv2`):
 * `[csl snl; −snl csl] [f g; 0 h] [csr −snr; snr csr] = [ssmax 0; 0 ssmin]`,
 * `|ssmax| ≥ |ssmin|`, accurate to a few ulps. Writes to {@link sv2}.
 */
function triangularSvd2(f: number, g: number, h: number): void {
  let ft = f;
  let fa = Math.abs(ft);
  let ht = h;
  let ha = Math.abs(h);
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    [ft, ht] = [ht, ft];
    [fa, ha] = [ha, fa];
  }
  const gt = g;
  const ga = Math.abs(gt);
  let clt: number;
  let crt: number;
  let slt: number;
  let srt: number;
  let ssmin: number;
  let ssmax: number;
  if (ga === 0) {
    ssmin = ha;
    ssmax = fa;
    clt = 1;
    crt = 1;
    slt = 0;
    srt = 0;
  } else {
    let gasmal = true;
    clt = crt = slt = srt = ssmin = ssmax = 0;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < UNIT_ROUNDOFF) {
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1;
        slt = ht / gt;
        srt = 1;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const dd = fa - ha;
      let l = dd === fa ? 1 : dd / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m;
      const tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm === 0) {
        t = l === 0 ? sign(2, ft) * sign(1, gt) : gt / sign(dd, ft) + m / t;
      } else {
        t = (m / (s + t) + m / (r + l)) * (1 + a);
      }
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  let csl: number;
  let snl: number;
  let csr: number;
  let snr: number;
  if (swap) {
    csl = srt;
    snl = crt;
    csr = slt;
    snr = clt;
  } else {
    csl = clt;
    snl = slt;
    csr = crt;
    snr = srt;
  }
  let tsign: number;
  if (pmax === 1) tsign = sign(1, csr) * sign(1, csl) * sign(1, f);
  else if (pmax === 2) tsign = sign(1, snr) * sign(1, csl) * sign(1, g);
  else tsign = sign(1, snr) * sign(1, snl) * sign(1, h);
  sv2[0] = sign(ssmin, tsign * sign(1, f) * sign(1, h));
  sv2[1] = sign(ssmax, tsign);
  sv2[2] = snr;
  sv2[3] = csr;
  sv2[4] = snl;
  sv2[5] = csl;
}

/** Smaller singular value of the upper triangular `[f g; 0 h]` (LAPACK `dlas2`), ≥ 0. */
function smallerSingularValue2(f: number, g: number, h: number): number {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  if (fhmn === 0) return 0;
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) ** 2;
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return fhmn * c;
  }
  const au = fhmx / ga;
  if (au === 0) return (fhmn * fhmx) / ga;
  const as = 1 + fhmn / fhmx;
  const at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  const ssmin = fhmn * c * au;
  return ssmin + ssmin;
}

// ---------------------------------------------------------------------------------------------
// Rotation log: batched application of the QR sweeps to U_B and V_B
// ---------------------------------------------------------------------------------------------

/** Rotations logged before a flush: 2 × 32768 doubles per factor stay in L2 while a row passes. */
const LOG_CAPACITY = 32768;

/**
 * Logs the Givens rotations of bidiagonal QR sweeps and applies them in batches to the
 * row-major factors `ub` (left, `B = U_B Σ V_Bᵀ`) and `vb` (right, `n × n`).
 *
 * One logged operation is a chain of rotations on the column pairs `(lo + k, lo + k + 1)`,
 * `k = 0 … hi − lo − 1`, applied in increasing (`forward`) or decreasing order; rotation `k`
 * maps columns `(x, y)` to `(c x + s y, c y − s x)` (LAPACK `dlasr`, pivot 'V'). Since the
 * rotations act on columns, each row can take the whole batch independently.
 *
 * `ub` is `n × n` starting from the identity, or, when `leftInit` (`rows × n`) is given, a copy
 * of it: then `ub` ends as `leftInit · U_B`, i.e. the rows of `(U_Bᵀ C)ᵀ` for `C = leftInitᵀ`.
 */
class RotationLog {
  readonly n: number;
  readonly leftRows: number;
  readonly ub: Float64Array;
  readonly vb: Float64Array;
  readonly cu: Float64Array;
  readonly su: Float64Array;
  readonly cv: Float64Array;
  readonly sv: Float64Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly off: Int32Array;
  private readonly forward: Uint8Array;
  /** Per row of `ub` and of `vb`: first and last column that may be nonzero. */
  private readonly firstU: Int32Array;
  private readonly lastU: Int32Array;
  private readonly firstV: Int32Array;
  private readonly lastV: Int32Array;
  private ops = 0;
  private used = 0;

  constructor(n: number, leftInit: Float64Array | null = null, leftRows = n) {
    this.n = n;
    this.leftRows = leftInit === null ? n : leftRows;
    this.vb = new Float64Array(n * n);
    this.firstV = new Int32Array(n);
    this.lastV = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.vb[i * n + i] = 1;
      this.firstV[i] = i;
      this.lastV[i] = i;
    }
    if (leftInit === null) {
      this.ub = new Float64Array(n * n);
      this.firstU = this.firstV.slice();
      this.lastU = this.lastV.slice();
      for (let i = 0; i < n; i++) this.ub[i * n + i] = 1;
    } else {
      this.ub = leftInit;
      this.firstU = new Int32Array(this.leftRows);
      this.lastU = new Int32Array(this.leftRows).fill(n - 1);
    }
    const cap = Math.max(n, LOG_CAPACITY);
    this.cu = new Float64Array(cap);
    this.su = new Float64Array(cap);
    this.cv = new Float64Array(cap);
    this.sv = new Float64Array(cap);
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.off = new Int32Array(cap);
    this.forward = new Uint8Array(cap);
  }

  /** Reserves a chain on columns `lo … hi`; returns the offset where its `hi − lo` rotations go. */
  begin(lo: number, hi: number, forward: boolean): number {
    const len = hi - lo;
    if (this.used + len > this.cu.length) this.flush();
    const op = this.ops++;
    this.lo[op] = lo;
    this.hi[op] = hi;
    this.off[op] = this.used;
    this.forward[op] = forward ? 1 : 0;
    const at = this.used;
    this.used += len;
    return at;
  }

  /** Applies every logged chain to `ub` (with `cu`, `su`) and `vb` (with `cv`, `sv`). */
  flush(): void {
    if (this.ops === 0) return;
    this.applyTo(this.ub, this.leftRows, this.cu, this.su, this.firstU, this.lastU);
    this.applyTo(this.vb, this.n, this.cv, this.sv, this.firstV, this.lastV);
    this.ops = 0;
    this.used = 0;
  }

  /**
   * Applies the logged chains to the `rows` rows (length `n`) of `x`, four rows at a time.
   * `firsts`/`lasts` bound the nonzero columns of each row and are updated: a chain skips the
   * part of a row where its carry is still exactly zero (both factors start as the identity).
   */
  private applyTo(
    x: Float64Array,
    rows: number,
    cs: Float64Array,
    sn: Float64Array,
    firsts: Int32Array,
    lasts: Int32Array,
  ): void {
    const n = this.n;
    const ops = this.ops;
    const los = this.lo;
    const his = this.hi;
    const offs = this.off;
    const fwd = this.forward;
    let r = 0;
    for (; r + 3 < rows; r += 4) {
      const o0 = r * n;
      let f = Math.min(firsts[r]!, firsts[r + 1]!, firsts[r + 2]!, firsts[r + 3]!);
      let g = Math.max(lasts[r]!, lasts[r + 1]!, lasts[r + 2]!, lasts[r + 3]!);
      for (let op = 0; op < ops; op++) {
        const lo = los[op]!;
        const hi = his[op]!;
        if (g < lo || f > hi) continue; // zero on [lo, hi]: unchanged
        const base = offs[op]! - lo;
        // Two consecutive sweeps over the same block run as one wavefront (same arithmetic).
        const pair = op + 1 < ops && los[op + 1] === lo && his[op + 1] === hi && fwd[op + 1] === fwd[op];
        if (fwd[op] === 1) {
          const j0 = f > lo ? f - 1 : lo;
          if (pair) {
            const p = j0 > lo ? j0 - 1 : lo;
            forwardChainPair4(x, o0, n, p, hi, cs, sn, base, offs[op + 1]! - lo);
            op++;
            f = p < f ? p : f;
          } else {
            forwardChain4(x, o0, n, j0, hi, cs, sn, base);
            f = j0 < f ? j0 : f;
          }
          g = hi > g ? hi : g;
        } else {
          const j1 = g < hi ? g : hi - 1;
          if (pair) {
            const g1 = j1 + 1 > g ? j1 + 1 : g;
            const p = g1 < hi ? g1 : hi - 1;
            backwardChainPair4(x, o0, n, lo, p, cs, sn, base, offs[op + 1]! - lo);
            op++;
            g = p + 1 > g1 ? p + 1 : g1;
          } else {
            backwardChain4(x, o0, n, lo, j1, cs, sn, base);
            g = j1 + 1 > g ? j1 + 1 : g;
          }
          f = lo < f ? lo : f;
        }
      }
      for (let q = r; q < r + 4; q++) {
        firsts[q] = f;
        lasts[q] = g;
      }
    }
    for (; r < rows; r++) {
      const o = r * n;
      let f = firsts[r]!;
      let g = lasts[r]!;
      for (let op = 0; op < ops; op++) {
        const lo = los[op]!;
        const hi = his[op]!;
        if (g < lo || f > hi) continue;
        const base = offs[op]! - lo;
        if (fwd[op] === 1) {
          const j0 = f > lo ? f - 1 : lo;
          let xv = x[o + j0]!;
          for (let j = j0; j < hi; j++) {
            const c = cs[base + j]!;
            const s = sn[base + j]!;
            const y = x[o + j + 1]!;
            x[o + j] = c * xv + s * y;
            xv = c * y - s * xv;
          }
          x[o + hi] = xv;
          f = j0 < f ? j0 : f;
          g = hi > g ? hi : g;
        } else {
          const j1 = g < hi ? g : hi - 1;
          let xv = x[o + j1 + 1]!;
          for (let j = j1; j >= lo; j--) {
            const c = cs[base + j]!;
            const s = sn[base + j]!;
            const y = x[o + j]!;
            x[o + j + 1] = c * xv - s * y;
            xv = s * xv + c * y;
          }
          x[o + lo] = xv;
          g = j1 + 1 > g ? j1 + 1 : g;
          f = lo < f ? lo : f;
        }
      }
      firsts[r] = f;
      lasts[r] = g;
    }
  }
}

/**
 * Forward chain on four consecutive rows (offsets `o0 + t·n`): for `j = j0 … hi − 1`,
 * `(x_j, x_{j+1}) ← (c x_j + s y, c y − s x_j)` with `c = cs[base + j]`, `s = sn[base + j]`.
 */
function forwardChain4(
  x: Float64Array,
  o0: number,
  n: number,
  j0: number,
  hi: number,
  cs: Float64Array,
  sn: Float64Array,
  base: number,
): void {
  const o1 = o0 + n;
  const o2 = o1 + n;
  const o3 = o2 + n;
  let x0 = x[o0 + j0]!;
  let x1 = x[o1 + j0]!;
  let x2 = x[o2 + j0]!;
  let x3 = x[o3 + j0]!;
  for (let j = j0; j < hi; j++) {
    const c = cs[base + j]!;
    const s = sn[base + j]!;
    const y0 = x[o0 + j + 1]!;
    const y1 = x[o1 + j + 1]!;
    const y2 = x[o2 + j + 1]!;
    const y3 = x[o3 + j + 1]!;
    x[o0 + j] = c * x0 + s * y0;
    x[o1 + j] = c * x1 + s * y1;
    x[o2 + j] = c * x2 + s * y2;
    x[o3 + j] = c * x3 + s * y3;
    x0 = c * y0 - s * x0;
    x1 = c * y1 - s * x1;
    x2 = c * y2 - s * x2;
    x3 = c * y3 - s * x3;
  }
  x[o0 + hi] = x0;
  x[o1 + hi] = x1;
  x[o2 + hi] = x2;
  x[o3 + hi] = x3;
}

/** Backward chain on four rows: the pairs `(j, j + 1)` for `j = j1 … lo`, in that order. */
function backwardChain4(
  x: Float64Array,
  o0: number,
  n: number,
  lo: number,
  j1: number,
  cs: Float64Array,
  sn: Float64Array,
  base: number,
): void {
  const o1 = o0 + n;
  const o2 = o1 + n;
  const o3 = o2 + n;
  let x0 = x[o0 + j1 + 1]!;
  let x1 = x[o1 + j1 + 1]!;
  let x2 = x[o2 + j1 + 1]!;
  let x3 = x[o3 + j1 + 1]!;
  for (let j = j1; j >= lo; j--) {
    const c = cs[base + j]!;
    const s = sn[base + j]!;
    const y0 = x[o0 + j]!;
    const y1 = x[o1 + j]!;
    const y2 = x[o2 + j]!;
    const y3 = x[o3 + j]!;
    x[o0 + j + 1] = c * x0 - s * y0;
    x[o1 + j + 1] = c * x1 - s * y1;
    x[o2 + j + 1] = c * x2 - s * y2;
    x[o3 + j + 1] = c * x3 - s * y3;
    x0 = s * x0 + c * y0;
    x1 = s * x1 + c * y1;
    x2 = s * x2 + c * y2;
    x3 = s * x3 + c * y3;
  }
  x[o0 + lo] = x0;
  x[o1 + lo] = x1;
  x[o2 + lo] = x2;
  x[o3 + lo] = x3;
}

/**
 * Two forward chains A (`base`) then B (`baseB`) on `[p, hi]` in one pass: B's rotation at
 * `(j, j + 1)` runs as soon as A has finalised `x_{j+1}`, so two independent dependency chains
 * interleave. Identical arithmetic to running A, then B.
 */
function forwardChainPair4(
  x: Float64Array,
  o0: number,
  n: number,
  p: number,
  hi: number,
  cs: Float64Array,
  sn: Float64Array,
  base: number,
  baseB: number,
): void {
  const o1 = o0 + n;
  const o2 = o1 + n;
  const o3 = o2 + n;
  let c = cs[base + p]!;
  let s = sn[base + p]!;
  let y0 = x[o0 + p + 1]!;
  let y1 = x[o1 + p + 1]!;
  let y2 = x[o2 + p + 1]!;
  let y3 = x[o3 + p + 1]!;
  let a0 = x[o0 + p]!;
  let a1 = x[o1 + p]!;
  let a2 = x[o2 + p]!;
  let a3 = x[o3 + p]!;
  // A at (p, p + 1): its output at p is B's first carry.
  let b0 = c * a0 + s * y0;
  let b1 = c * a1 + s * y1;
  let b2 = c * a2 + s * y2;
  let b3 = c * a3 + s * y3;
  a0 = c * y0 - s * a0;
  a1 = c * y1 - s * a1;
  a2 = c * y2 - s * a2;
  a3 = c * y3 - s * a3;
  for (let j = p; j < hi - 1; j++) {
    // A at (j + 1, j + 2), finalising x_{j+1} = f.
    c = cs[base + j + 1]!;
    s = sn[base + j + 1]!;
    y0 = x[o0 + j + 2]!;
    y1 = x[o1 + j + 2]!;
    y2 = x[o2 + j + 2]!;
    y3 = x[o3 + j + 2]!;
    const f0 = c * a0 + s * y0;
    const f1 = c * a1 + s * y1;
    const f2 = c * a2 + s * y2;
    const f3 = c * a3 + s * y3;
    a0 = c * y0 - s * a0;
    a1 = c * y1 - s * a1;
    a2 = c * y2 - s * a2;
    a3 = c * y3 - s * a3;
    // B at (j, j + 1).
    const d = cs[baseB + j]!;
    const t = sn[baseB + j]!;
    x[o0 + j] = d * b0 + t * f0;
    x[o1 + j] = d * b1 + t * f1;
    x[o2 + j] = d * b2 + t * f2;
    x[o3 + j] = d * b3 + t * f3;
    b0 = d * f0 - t * b0;
    b1 = d * f1 - t * b1;
    b2 = d * f2 - t * b2;
    b3 = d * f3 - t * b3;
  }
  // A is done (x_hi = a); B at (hi − 1, hi).
  const d = cs[baseB + hi - 1]!;
  const t = sn[baseB + hi - 1]!;
  x[o0 + hi - 1] = d * b0 + t * a0;
  x[o1 + hi - 1] = d * b1 + t * a1;
  x[o2 + hi - 1] = d * b2 + t * a2;
  x[o3 + hi - 1] = d * b3 + t * a3;
  x[o0 + hi] = d * a0 - t * b0;
  x[o1 + hi] = d * a1 - t * b1;
  x[o2 + hi] = d * a2 - t * b2;
  x[o3 + hi] = d * a3 - t * b3;
}

/** Two backward chains A then B on `[lo, p + 1]` in one pass (mirror of {@link forwardChainPair4}). */
function backwardChainPair4(
  x: Float64Array,
  o0: number,
  n: number,
  lo: number,
  p: number,
  cs: Float64Array,
  sn: Float64Array,
  base: number,
  baseB: number,
): void {
  const o1 = o0 + n;
  const o2 = o1 + n;
  const o3 = o2 + n;
  let c = cs[base + p]!;
  let s = sn[base + p]!;
  let a0 = x[o0 + p + 1]!;
  let a1 = x[o1 + p + 1]!;
  let a2 = x[o2 + p + 1]!;
  let a3 = x[o3 + p + 1]!;
  let y0 = x[o0 + p]!;
  let y1 = x[o1 + p]!;
  let y2 = x[o2 + p]!;
  let y3 = x[o3 + p]!;
  // A at (p, p + 1): its output at p + 1 is B's first carry.
  let b0 = c * a0 - s * y0;
  let b1 = c * a1 - s * y1;
  let b2 = c * a2 - s * y2;
  let b3 = c * a3 - s * y3;
  a0 = s * a0 + c * y0;
  a1 = s * a1 + c * y1;
  a2 = s * a2 + c * y2;
  a3 = s * a3 + c * y3;
  for (let j = p; j > lo; j--) {
    // A at (j − 1, j), finalising x_j = f.
    c = cs[base + j - 1]!;
    s = sn[base + j - 1]!;
    y0 = x[o0 + j - 1]!;
    y1 = x[o1 + j - 1]!;
    y2 = x[o2 + j - 1]!;
    y3 = x[o3 + j - 1]!;
    const f0 = c * a0 - s * y0;
    const f1 = c * a1 - s * y1;
    const f2 = c * a2 - s * y2;
    const f3 = c * a3 - s * y3;
    a0 = s * a0 + c * y0;
    a1 = s * a1 + c * y1;
    a2 = s * a2 + c * y2;
    a3 = s * a3 + c * y3;
    // B at (j, j + 1).
    const d = cs[baseB + j]!;
    const t = sn[baseB + j]!;
    x[o0 + j + 1] = d * b0 - t * f0;
    x[o1 + j + 1] = d * b1 - t * f1;
    x[o2 + j + 1] = d * b2 - t * f2;
    x[o3 + j + 1] = d * b3 - t * f3;
    b0 = t * b0 + d * f0;
    b1 = t * b1 + d * f1;
    b2 = t * b2 + d * f2;
    b3 = t * b3 + d * f3;
  }
  // A is done (x_lo = a); B at (lo, lo + 1).
  const d = cs[baseB + lo]!;
  const t = sn[baseB + lo]!;
  x[o0 + lo + 1] = d * b0 - t * a0;
  x[o1 + lo + 1] = d * b1 - t * a1;
  x[o2 + lo + 1] = d * b2 - t * a2;
  x[o3 + lo + 1] = d * b3 - t * a3;
  x[o0 + lo] = t * b0 + d * a0;
  x[o1 + lo] = t * b1 + d * a1;
  x[o2 + lo] = t * b2 + d * a2;
  x[o3 + lo] = t * b3 + d * a3;
}

// ---------------------------------------------------------------------------------------------
// Bidiagonal QR iteration (Demmel–Kahan / LAPACK dbdsqr)
// ---------------------------------------------------------------------------------------------

/**
 * Diagonalises the upper bidiagonal `B` (diagonal `d`, length `n`; superdiagonal `e`, length
 * `n − 1`) in place by implicit-shift QR sweeps, with zero-shift sweeps where a shift would
 * spoil relative accuracy, so that the small singular values are computed to high relative
 * accuracy. On return `d` holds the singular values, unsorted and possibly negative. When `log`
 * is given, the rotations are logged so that `B = U_B diag(d) V_Bᵀ`.
 *
 * @throws {@link ConvergenceError} after `6n²` inner steps without convergence.
 * @see Demmel & Kahan, "Accurate singular values of bidiagonal matrices", SIAM J. Sci. Stat.
 *   Comput. 11 (1990) 873–912 (LAPACK Working Note 3).
 */
function bidiagonalQr(n: number, d: Float64Array, e: Float64Array, log: RotationLog | null): void {
  if (n <= 1) return;
  const tolmul = Math.max(10, Math.min(100, UNIT_ROUNDOFF ** -0.125));
  const tol = tolmul * UNIT_ROUNDOFF;

  // Lower bound on the smallest singular value, for the absolute convergence threshold.
  let sminoa = Math.abs(d[0]!);
  if (sminoa !== 0) {
    let mu = sminoa;
    for (let i = 1; i < n; i++) {
      mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
      sminoa = Math.min(sminoa, mu);
      if (sminoa === 0) break;
    }
  }
  sminoa /= Math.sqrt(n);
  const thresh = Math.max(tol * sminoa, MAX_ITER_FACTOR * (n * (n * SAFE_MIN)));

  const maxIterDivN = MAX_ITER_FACTOR * n;
  let iterDivN = 0;
  let iter = -1;
  let oldll = -1;
  let oldm = -1;
  let idir = 0;
  let mm = n - 1; // last index of the unconverged part

  outer: while (mm > 0) {
    if (iter >= n) {
      iter -= n;
      iterDivN++;
      if (iterDivN >= maxIterDivN) {
        throw new ConvergenceError(
          `svd: bidiagonal QR did not converge within ${MAX_ITER_FACTOR}·n² = ${MAX_ITER_FACTOR * n * n} steps (n = ${n})`,
        );
      }
    }

    // Find the unreduced block d[ll..mm], e[ll..mm-1].
    let smax = Math.abs(d[mm]!);
    let ll = 0;
    for (let l = mm - 1; l >= 0; l--) {
      const abss = Math.abs(d[l]!);
      const abse = Math.abs(e[l]!);
      if (abse <= thresh || abse === 0) {
        e[l] = 0;
        if (l === mm - 1) {
          mm -= 1; // bottom singular value converged
          continue outer;
        }
        ll = l + 1;
        break;
      }
      smax = Math.max(smax, abss, abse);
    }

    if (ll === mm - 1) {
      // 2 × 2 block: solve directly.
      triangularSvd2(d[mm - 1]!, e[mm - 1]!, d[mm]!);
      d[mm - 1] = sv2[1]!;
      e[mm - 1] = 0;
      d[mm] = sv2[0]!;
      if (log !== null) {
        const at = log.begin(mm - 1, mm, true);
        log.cv[at] = sv2[3]!;
        log.sv[at] = sv2[2]!;
        log.cu[at] = sv2[5]!;
        log.su[at] = sv2[4]!;
      }
      mm -= 2;
      continue;
    }

    // On a new block, chase the bulge from the larger end towards the smaller.
    if (ll > oldm || mm < oldll) idir = Math.abs(d[ll]!) >= Math.abs(d[mm]!) ? 1 : 2;

    // Convergence tests (relative accuracy criterion of Demmel & Kahan).
    let smin: number;
    if (idir === 1) {
      if (Math.abs(e[mm - 1]!) <= tol * Math.abs(d[mm]!)) {
        e[mm - 1] = 0;
        continue;
      }
      let mu = Math.abs(d[ll]!);
      smin = mu;
      for (let l = ll; l < mm; l++) {
        if (Math.abs(e[l]!) <= tol * mu) {
          e[l] = 0;
          continue outer;
        }
        mu = Math.abs(d[l + 1]!) * (mu / (mu + Math.abs(e[l]!)));
        smin = Math.min(smin, mu);
      }
    } else {
      if (Math.abs(e[ll]!) <= tol * Math.abs(d[ll]!)) {
        e[ll] = 0;
        continue;
      }
      let mu = Math.abs(d[mm]!);
      smin = mu;
      for (let l = mm - 1; l >= ll; l--) {
        if (Math.abs(e[l]!) <= tol * mu) {
          e[l] = 0;
          continue outer;
        }
        mu = Math.abs(d[l]!) * (mu / (mu + Math.abs(e[l]!)));
        smin = Math.min(smin, mu);
      }
    }
    oldll = ll;
    oldm = mm;

    // Shift: zero when it would ruin relative accuracy, else the smaller singular value of the
    // trailing (leading) 2 × 2 block.
    let shift = 0;
    if (!(n * tol * (smin / smax) <= Math.max(UNIT_ROUNDOFF, 0.01 * tol))) {
      let sll: number;
      if (idir === 1) {
        sll = Math.abs(d[ll]!);
        shift = smallerSingularValue2(d[mm - 1]!, e[mm - 1]!, d[mm]!);
      } else {
        sll = Math.abs(d[mm]!);
        shift = smallerSingularValue2(d[ll]!, e[ll]!, d[ll + 1]!);
      }
      if (sll > 0 && (shift / sll) ** 2 < UNIT_ROUNDOFF) shift = 0;
    }

    iter += mm - ll;

    if (shift === 0) {
      if (idir === 1) {
        // Zero-shift sweep, top to bottom.
        const at = log !== null ? log.begin(ll, mm, true) - ll : 0;
        let cs = 1;
        let oldcs = 1;
        let oldsn = 0;
        for (let i = ll; i < mm; i++) {
          planeRotation(d[i]! * cs, e[i]!);
          cs = rot[0]!;
          const sn = rot[1]!;
          const r = rot[2]!;
          if (i > ll) e[i - 1] = oldsn * r;
          planeRotation(oldcs * r, d[i + 1]! * sn);
          oldcs = rot[0]!;
          oldsn = rot[1]!;
          d[i] = rot[2]!;
          if (log !== null) {
            log.cv[at + i] = cs;
            log.sv[at + i] = sn;
            log.cu[at + i] = oldcs;
            log.su[at + i] = oldsn;
          }
        }
        const h = d[mm]! * cs;
        d[mm] = h * oldcs;
        e[mm - 1] = h * oldsn;
        if (Math.abs(e[mm - 1]!) <= thresh) e[mm - 1] = 0;
      } else {
        // Zero-shift sweep, bottom to top.
        const at = log !== null ? log.begin(ll, mm, false) - ll : 0;
        let cs = 1;
        let oldcs = 1;
        let oldsn = 0;
        for (let i = mm; i > ll; i--) {
          planeRotation(d[i]! * cs, e[i - 1]!);
          cs = rot[0]!;
          const sn = rot[1]!;
          const r = rot[2]!;
          if (i < mm) e[i] = oldsn * r;
          planeRotation(oldcs * r, d[i - 1]! * sn);
          oldcs = rot[0]!;
          oldsn = rot[1]!;
          d[i] = rot[2]!;
          if (log !== null) {
            log.cu[at + i - 1] = cs;
            log.su[at + i - 1] = -sn;
            log.cv[at + i - 1] = oldcs;
            log.sv[at + i - 1] = -oldsn;
          }
        }
        const h = d[ll]! * cs;
        d[ll] = h * oldcs;
        e[ll] = h * oldsn;
        if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
      }
    } else if (idir === 1) {
      // Shifted sweep, top to bottom.
      const at = log !== null ? log.begin(ll, mm, true) - ll : 0;
      const dll = d[ll]!;
      let f = (Math.abs(dll) - shift) * (sign(1, dll) + shift / dll);
      let g = e[ll]!;
      for (let i = ll; i < mm; i++) {
        planeRotation(f, g);
        const cosr = rot[0]!;
        const sinr = rot[1]!;
        if (i > ll) e[i - 1] = rot[2]!;
        f = cosr * d[i]! + sinr * e[i]!;
        e[i] = cosr * e[i]! - sinr * d[i]!;
        g = sinr * d[i + 1]!;
        d[i + 1] = cosr * d[i + 1]!;
        planeRotation(f, g);
        const cosl = rot[0]!;
        const sinl = rot[1]!;
        d[i] = rot[2]!;
        f = cosl * e[i]! + sinl * d[i + 1]!;
        d[i + 1] = cosl * d[i + 1]! - sinl * e[i]!;
        if (i < mm - 1) {
          g = sinl * e[i + 1]!;
          e[i + 1] = cosl * e[i + 1]!;
        }
        if (log !== null) {
          log.cv[at + i] = cosr;
          log.sv[at + i] = sinr;
          log.cu[at + i] = cosl;
          log.su[at + i] = sinl;
        }
      }
      e[mm - 1] = f;
      if (Math.abs(e[mm - 1]!) <= thresh) e[mm - 1] = 0;
    } else {
      // Shifted sweep, bottom to top.
      const at = log !== null ? log.begin(ll, mm, false) - ll : 0;
      const dmm = d[mm]!;
      let f = (Math.abs(dmm) - shift) * (sign(1, dmm) + shift / dmm);
      let g = e[mm - 1]!;
      for (let i = mm; i > ll; i--) {
        planeRotation(f, g);
        const cosr = rot[0]!;
        const sinr = rot[1]!;
        if (i < mm) e[i] = rot[2]!;
        f = cosr * d[i]! + sinr * e[i - 1]!;
        e[i - 1] = cosr * e[i - 1]! - sinr * d[i]!;
        g = sinr * d[i - 1]!;
        d[i - 1] = cosr * d[i - 1]!;
        planeRotation(f, g);
        const cosl = rot[0]!;
        const sinl = rot[1]!;
        d[i] = rot[2]!;
        f = cosl * e[i - 1]! + sinl * d[i - 1]!;
        d[i - 1] = cosl * d[i - 1]! - sinl * e[i - 1]!;
        if (i > ll + 1) {
          g = sinl * e[i - 2]!;
          e[i - 2] = cosl * e[i - 2]!;
        }
        if (log !== null) {
          log.cu[at + i - 1] = cosr;
          log.su[at + i - 1] = -sinr;
          log.cv[at + i - 1] = cosl;
          log.sv[at + i - 1] = -sinl;
        }
      }
      e[ll] = f;
      if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Householder bidiagonalisation
// ---------------------------------------------------------------------------------------------

/**
 * Reduces the tall `m × n` row-major `w` (`m ≥ n`) to upper bidiagonal form
 * $W = Q_B B P_B^\top$ in place (LAPACK `dgebd2`): `d` (n) and `e` (n − 1) receive `B`;
 * left reflector `j` is `I − tauL[j] v vᵀ` with `v = [1, vl[j·m + j + 1 …]]` (copied to the
 * contiguous `vl`, `n × m`, when given); right reflector `j` is `I − tauR[j] u uᵀ` with
 * `u = [1, w[j·n + j + 2 …]]` on coordinates `j + 1 …`.
 *
 * One pass over the trailing rows per step, four rows at a time: it applies the left rank-one
 * update and the right reflector, and accumulates `Σ_i x_i a_iᵀ` over the new column `x`, from
 * which the next step's `vᵀA` follows once `x`'s reflector is known (look-ahead). Entries must
 * be below ~1e150 in magnitude (the driver scales), so that `x_i a_i` cannot overflow.
 */
function bidiagonalize(
  m: number,
  n: number,
  w: Float64Array,
  d: Float64Array,
  e: Float64Array,
  tauL: Float64Array,
  tauR: Float64Array,
  vl: Float64Array | null,
): void {
  const scratch = new Float64Array(2);
  const v = new Float64Array(m);
  const z = new Float64Array(n);
  const y = new Float64Array(n);

  // Left reflector of column j from its (already updated) entries; fills v, d[j], tauL[j].
  // Returns the divisor α − β that turned x into v.
  const leftReflector = (j: number): number => {
    const jj = j * n + j;
    const xnorm = nrm2Kernel(m - j - 1, w, jj + n, n);
    const tl = householderScalars(w[jj]!, xnorm, scratch);
    const denom = scratch[1]!;
    d[j] = scratch[0]!;
    tauL[j] = tl;
    w[jj] = scratch[0]!;
    v[j] = 1;
    if (tl !== 0) {
      for (let i = j + 1, p = jj + n; i < m; i++, p += n) {
        const vi = w[p]! / denom;
        w[p] = vi;
        v[i] = vi;
      }
    } else {
      for (let i = j + 1; i < m; i++) v[i] = 0;
    }
    if (vl !== null) {
      const o = j * m;
      for (let i = j + 1; i < m; i++) vl[o + i] = v[i]!;
    }
    return denom;
  };

  // Step 0: z = τ_L vᵀ W[:, 1:] by a separate pass.
  leftReflector(0);
  if (n > 1) {
    const tl = tauL[0]!;
    z.fill(0);
    if (tl !== 0) {
      let i = 0;
      for (; i + 3 < m; i += 4) {
        const v0 = v[i]!;
        const v1 = v[i + 1]!;
        const v2 = v[i + 2]!;
        const v3 = v[i + 3]!;
        const a0 = i * n;
        const a1 = a0 + n;
        const a2 = a1 + n;
        const a3 = a2 + n;
        for (let l = 1; l < n; l++) z[l] = z[l]! + v0 * w[a0 + l]! + v1 * w[a1 + l]! + v2 * w[a2 + l]! + v3 * w[a3 + l]!;
      }
      for (; i < m; i++) {
        const vi = v[i]!;
        const a = i * n;
        for (let l = 1; l < n; l++) z[l] = z[l]! + vi * w[a + l]!;
      }
      for (let l = 1; l < n; l++) z[l] = z[l]! * tl;
    }
  }

  for (let j = 0; j < n - 1; j++) {
    // Invariant: v = v_j, and z[j+1 …] = τ_L[j] v_jᵀ W[j:, j+1:] (zero when τ_L[j] = 0).
    const c0 = j + 1;
    const len = n - c0;
    const rj = j * n + c0;
    for (let l = 0; l < len; l++) w[rj + l] = w[rj + l]! - z[c0 + l]!;

    // Right reflector from row j, columns j+1 … n−1.
    const rnorm = nrm2Kernel(len - 1, w, rj + 1, 1);
    const tr = householderScalars(w[rj]!, rnorm, scratch);
    e[j] = scratch[0]!;
    tauR[j] = tr;
    if (tr !== 0) {
      const denom = scratch[1]!;
      for (let l = 1; l < len; l++) w[rj + l] = w[rj + l]! / denom;
    }
    w[rj] = scratch[0]!;

    // Fused pass over rows j+1 … m−1: a' = a − v_i z, a'' = a' − τ_R (a'·u) u, and
    // y += x_i a'' (columns j+2 …) with x_i = a''[j+1], for rows i ≥ j+2.
    y.fill(0, c0, n);
    {
      const a = c0 * n + c0;
      const vi = v[c0]!;
      let p0 = w[a]! - vi * z[c0]!;
      let s0 = p0;
      w[a] = p0;
      for (let l = 1; l < len; l++) {
        const q = w[a + l]! - vi * z[c0 + l]!;
        w[a + l] = q;
        s0 += q * w[rj + l]!;
      }
      s0 *= tr;
      p0 -= s0;
      w[a] = p0;
      for (let l = 1; l < len; l++) w[a + l] = w[a + l]! - s0 * w[rj + l]!;
    }
    let i = c0 + 1;
    for (; i + 3 < m; i += 4) {
      const a0 = i * n + c0;
      const a1 = a0 + n;
      const a2 = a1 + n;
      const a3 = a2 + n;
      const v0 = v[i]!;
      const v1 = v[i + 1]!;
      const v2 = v[i + 2]!;
      const v3 = v[i + 3]!;
      const zc = z[c0]!;
      let x0 = w[a0]! - v0 * zc;
      let x1 = w[a1]! - v1 * zc;
      let x2 = w[a2]! - v2 * zc;
      let x3 = w[a3]! - v3 * zc;
      let s0 = x0;
      let s1 = x1;
      let s2 = x2;
      let s3 = x3;
      for (let l = 1; l < len; l++) {
        const zl = z[c0 + l]!;
        const ul = w[rj + l]!;
        const q0 = w[a0 + l]! - v0 * zl;
        const q1 = w[a1 + l]! - v1 * zl;
        const q2 = w[a2 + l]! - v2 * zl;
        const q3 = w[a3 + l]! - v3 * zl;
        w[a0 + l] = q0;
        w[a1 + l] = q1;
        w[a2 + l] = q2;
        w[a3 + l] = q3;
        s0 += q0 * ul;
        s1 += q1 * ul;
        s2 += q2 * ul;
        s3 += q3 * ul;
      }
      s0 *= tr;
      s1 *= tr;
      s2 *= tr;
      s3 *= tr;
      x0 -= s0;
      x1 -= s1;
      x2 -= s2;
      x3 -= s3;
      w[a0] = x0;
      w[a1] = x1;
      w[a2] = x2;
      w[a3] = x3;
      for (let l = 1; l < len; l++) {
        const ul = w[rj + l]!;
        const q0 = w[a0 + l]! - s0 * ul;
        const q1 = w[a1 + l]! - s1 * ul;
        const q2 = w[a2 + l]! - s2 * ul;
        const q3 = w[a3 + l]! - s3 * ul;
        w[a0 + l] = q0;
        w[a1 + l] = q1;
        w[a2 + l] = q2;
        w[a3 + l] = q3;
        y[c0 + l] = y[c0 + l]! + x0 * q0 + x1 * q1 + x2 * q2 + x3 * q3;
      }
    }
    for (; i < m; i++) {
      const a = i * n + c0;
      const vi = v[i]!;
      let x0 = w[a]! - vi * z[c0]!;
      let s0 = x0;
      for (let l = 1; l < len; l++) {
        const q = w[a + l]! - vi * z[c0 + l]!;
        w[a + l] = q;
        s0 += q * w[rj + l]!;
      }
      s0 *= tr;
      x0 -= s0;
      w[a] = x0;
      for (let l = 1; l < len; l++) {
        const q = w[a + l]! - s0 * w[rj + l]!;
        w[a + l] = q;
        y[c0 + l] = y[c0 + l]! + x0 * q;
      }
    }

    // Next left reflector (column j+1) and, by look-ahead, its z.
    const denom = leftReflector(c0);
    const tl = tauL[c0]!;
    if (c0 < n - 1) {
      const rn = c0 * n;
      if (tl !== 0) {
        for (let l = c0 + 1; l < n; l++) z[l] = tl * (w[rn + l]! + y[l]! / denom);
      } else {
        z.fill(0, c0 + 1, n);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------------

/** Result of the tall-matrix driver. */
interface TallSvd {
  /** Singular values, descending. */
  s: Float64Array;
  /** `Uᵀ`, `p × m` row-major (`p = n`, or `m` when full); modes 1 and 2 only. */
  ut: Float64Array | null;
  /** `Vᵀ`, `n × n` row-major; modes 1, 2 and 3. */
  vt: Float64Array | null;
  /** `Uᵀ C` (`n × nrhs` row-major, rows in the order of `s`); mode 3 only. */
  c: Float64Array | null;
  /** Mode 3: `‖(Qᵀ C)[n:, q]‖²` per column, the squared residual of a full-rank fit. */
  tail: Float64Array | null;
}

/** Applies reflectors to rows of `x`, blocked when there are enough rows to amortise `T`. */
function applyReflectors(
  x: Float64Array,
  rows: number,
  cols: number,
  v: Float64Array,
  ldv: number,
  shift: number,
  tau: Float64Array,
  k: number,
  descending: boolean,
): void {
  if (rows >= 16) applyReflectorsBlockedKernel(x, rows, cols, v, ldv, shift, tau, k, descending);
  else applyReflectorsKernel(x, rows, cols, v, ldv, shift, tau, k, descending);
}

/**
 * SVD of the tall `m × n` row-major `a` (`m ≥ n`, overwritten). `mode` 0: values only,
 * 1: thin vectors, 2: full `U`, 3: `V` and `Uᵀ C` for `C = rhsTᵀ` (`m × nrhs`; `rhsT`,
 * `nrhs × m`, is overwritten) without forming `U` (as LAPACK `dgelss`).
 */
function tallSvd(
  m: number,
  n: number,
  a: Float64Array,
  mode: 0 | 1 | 2 | 3,
  rhsT: Float64Array | null = null,
  nrhs = 0,
): TallSvd {
  const wantVectors = mode !== 0;
  if (n === 0) {
    const empty = new Float64Array(0);
    if (mode === 0) return { s: empty, ut: null, vt: null, c: null, tail: null };
    if (mode === 3) {
      const tail = new Float64Array(nrhs);
      for (let q = 0; q < nrhs; q++) for (let i = 0; i < m; i++) tail[q] = tail[q]! + rhsT![q * m + i]! ** 2;
      return { s: empty, ut: null, vt: empty, c: empty, tail };
    }
    const p = mode === 2 ? m : 0;
    const ut = new Float64Array(p * m);
    for (let i = 0; i < p; i++) ut[i * m + i] = 1;
    return { s: empty, ut, vt: empty, c: null, tail: null };
  }

  // Scale by a power of two (exact) when the entries are extreme, so that no intermediate
  // product can overflow or underflow (LAPACK dgesvd scales likewise).
  let anrm = 0;
  for (let i = 0; i < m * n; i++) anrm = Math.max(anrm, Math.abs(a[i]!));
  let exponent = 0;
  if (anrm > 2 ** 450 || (anrm > 0 && anrm < 2 ** -450)) {
    exponent = Math.floor(Math.log2(anrm));
    const half = Math.trunc(-exponent / 2);
    const f1 = 2 ** half;
    const f2 = 2 ** (-exponent - half);
    for (let i = 0; i < m * n; i++) a[i] = a[i]! * f1 * f2;
  }

  // Very tall: QR first, then decompose the n × n factor R (flop-count crossovers: forming U
  // costs the same either way, so the QR step pays off later when U is wanted).
  const useQr = n > 1 && m * 3 > (mode === 1 || mode === 2 ? 8 : 5) * n;
  let mb = m;
  let w = a;
  let qrAt: Float64Array | null = null;
  let qrTau: Float64Array | null = null;
  if (useQr) {
    qrAt = transposeKernel(m, n, a, new Float64Array(m * n));
    qrTau = new Float64Array(n);
    householderQrTransposedKernel(m, n, qrAt, qrTau, null);
    mb = n;
    w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let l = i; l < n; l++) w[i * n + l] = qrAt[l * m + i]!;
  }

  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 1));
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(n);
  const vl = wantVectors ? new Float64Array(n * mb) : null;
  bidiagonalize(mb, n, w, d, e, tauL, tauR, vl);

  // Mode 3: C ← Q_Bᵀ (Q_QRᵀ C), kept as the rows of Cᵀ, truncated to the first n entries.
  let log: RotationLog | null = null;
  let tail: Float64Array | null = null;
  if (mode === 3 && rhsT !== null && vl !== null) {
    let cur = rhsT;
    if (qrAt !== null && qrTau !== null) {
      applyReflectors(cur, nrhs, m, qrAt, m, 0, qrTau, n, false);
      const next = new Float64Array(nrhs * n);
      for (let q = 0; q < nrhs; q++) next.set(cur.subarray(q * m, q * m + n), q * n);
      tail = residualTail(cur, nrhs, m, n);
      cur = next;
    }
    applyReflectors(cur, nrhs, mb, vl, mb, 0, tauL, n, false);
    if (tail === null) tail = residualTail(cur, nrhs, m, n);
    const ct = new Float64Array(nrhs * n);
    for (let q = 0; q < nrhs; q++) ct.set(cur.subarray(q * mb, q * mb + n), q * n);
    log = new RotationLog(n, ct, nrhs);
  } else if (wantVectors) {
    log = new RotationLog(n);
  }
  bidiagonalQr(n, d, e, log);
  log?.flush();

  // Sort |d| descending (stable), remembering signs.
  const absd = new Float64Array(n);
  for (let i = 0; i < n; i++) absd[i] = Math.abs(d[i]!);
  const sorted = Array.from({ length: n }, (_, i) => i).sort((x, y) => absd[y]! - absd[x]! || x - y);
  const s = new Float64Array(n);
  for (let r = 0; r < n; r++) s[r] = absd[sorted[r]!]! + 0; // + 0 turns −0 into 0
  if (exponent !== 0) {
    const half = Math.trunc(exponent / 2);
    const g1 = 2 ** half;
    const g2 = 2 ** (exponent - half);
    for (let r = 0; r < n; r++) s[r] = s[r]! * g1 * g2;
  }
  if (log === null || vl === null) return { s, ut: null, vt: null, c: null, tail: null };

  // Vᵀ rows: sign-corrected, permuted columns of V_B, then P_B from the right-hand reflectors.
  const vt = new Float64Array(n * n);
  const vb = log.vb;
  const ub = log.ub;
  for (let r = 0; r < n; r++) {
    const c = sorted[r]!;
    const sg = d[c]! < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vt[r * n + i] = sg * vb[i * n + c]!;
  }
  if (n > 2) applyReflectors(vt, n, n, w, n, 1, tauR, n - 2, true);

  if (mode === 3) {
    // ub holds the rows of (U_Bᵀ C)ᵀ; permute to the order of s.
    const c = new Float64Array(n * nrhs);
    for (let r = 0; r < n; r++) {
      const col = sorted[r]!;
      for (let q = 0; q < nrhs; q++) c[r * nrhs + q] = ub[q * n + col]!;
    }
    return { s, ut: null, vt, c, tail };
  }

  // Uᵀ rows: permuted columns of U_B, padded, then Q_B (and Q of the QR step).
  const p = mode === 2 ? m : n;
  if (!useQr) {
    const ut = new Float64Array(p * m);
    for (let r = 0; r < n; r++) {
      const c = sorted[r]!;
      for (let i = 0; i < n; i++) ut[r * m + i] = ub[i * n + c]!;
    }
    for (let r = n; r < p; r++) ut[r * m + r] = 1;
    applyReflectors(ut, p, m, vl, m, 0, tauL, n, true);
    return { s, ut, vt, c: null, tail: null };
  }
  const ur = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    const c = sorted[r]!;
    for (let i = 0; i < n; i++) ur[r * n + i] = ub[i * n + c]!;
  }
  applyReflectors(ur, n, n, vl, n, 0, tauL, n, true);
  const ut = new Float64Array(p * m);
  for (let r = 0; r < n; r++) ut.set(ur.subarray(r * n, r * n + n), r * m);
  for (let r = n; r < p; r++) ut[r * m + r] = 1;
  applyReflectors(ut, p, m, qrAt!, m, 0, qrTau!, n, true);
  return { s, ut, vt, c: null, tail: null };
}

/** `Σ_{i ≥ n} rowsT[q][i]²` for each of the `nrhs` rows (length `m`) of `rowsT`. */
function residualTail(rowsT: Float64Array, nrhs: number, m: number, n: number): Float64Array {
  const tail = new Float64Array(nrhs);
  for (let q = 0; q < nrhs; q++) {
    let sum = 0;
    for (let i = n; i < m; i++) sum += rowsT[q * m + i]! ** 2;
    tail[q] = sum;
  }
  return tail;
}

/**
 * Unchecked minimum-norm least-squares core for a tall `A` (`m ≥ n`, row-major, not modified)
 * and `C` given transposed (`cT`, `nrhs × m`, overwritten): returns the singular values,
 * `Vᵀ` (`n × n`), `Uᵀ C` (`n × nrhs`, rows in the order of `s`) and `tail`, the squared norms
 * of the components of each column of `C` outside the range of the thin `U` (the squared
 * least-squares residuals when `A` has full column rank), without forming `U`.
 */
export function tallSvdSolveKernel(
  m: number,
  n: number,
  a: Float64Array,
  cT: Float64Array,
  nrhs: number,
): { s: Float64Array; vt: Float64Array; c: Float64Array; tail: Float64Array } {
  const r = tallSvd(m, n, a.slice(0, m * n), 3, cT, nrhs);
  return { s: r.s, vt: r.vt!, c: r.c!, tail: r.tail! };
}

/**
 * Raw SVD of a row-major `rows × cols` array (not modified): `mode` 0 values only, 1 thin
 * factors, 2 square `U` and `V`; `uCols`, `vCols` are the numbers of columns of `u`, `v`.
 */
export function svdRaw(
  rows: number,
  cols: number,
  a: Float64Array,
  mode: 0 | 1 | 2,
): { s: Float64Array; u: Float64Array | null; v: Float64Array | null; uCols: number; vCols: number } {
  const k = Math.min(rows, cols);
  if (rows >= cols) {
    const r = tallSvd(rows, cols, a.slice(0, rows * cols), mode);
    if (r.ut === null || r.vt === null) return { s: r.s, u: null, v: null, uCols: 0, vCols: 0 };
    const p = mode === 2 ? rows : k;
    return {
      s: r.s,
      u: transposeKernel(p, rows, r.ut, new Float64Array(rows * p)),
      v: transposeKernel(cols, cols, r.vt, new Float64Array(cols * cols)),
      uCols: p,
      vCols: cols,
    };
  }
  // Wide: Aᵀ = V Σ Uᵀ is tall.
  const at = transposeKernel(rows, cols, a, new Float64Array(rows * cols));
  const r = tallSvd(cols, rows, at, mode);
  if (r.ut === null || r.vt === null) return { s: r.s, u: null, v: null, uCols: 0, vCols: 0 };
  const p = mode === 2 ? cols : k;
  return {
    s: r.s,
    u: transposeKernel(rows, rows, r.vt, new Float64Array(rows * rows)),
    v: transposeKernel(p, cols, r.ut, new Float64Array(cols * p)),
    uCols: rows,
    vCols: p,
  };
}

// ---------------------------------------------------------------------------------------------
// Kernels (the reference backend's `svd` slot, least squares)
// ---------------------------------------------------------------------------------------------

/**
 * Unchecked thin SVD kernel on raw row-major arrays (the backend contract's `svd` slot):
 * $A = U \operatorname{diag}(s) V^\top$ with `k = min(rows, cols)`.
 *
 * @param rows - `m`.
 * @param cols - `n`.
 * @param a - `A`, `m × n` row-major, finite; not modified.
 * @returns `s` (`k`, descending, ≥ 0), `u` (`m × k` row-major), `v` (`n × k` row-major).
 * @throws {@link ConvergenceError} if the bidiagonal QR iteration fails to converge (not
 *   observed in practice).
 * @see {@link svd} for the checked version.
 * @example
 * ```ts
 * const { s } = svdKernel(2, 2, new Float64Array([3, 0, 0, -4]));
 * Array.from(s); // => [4, 3]
 * ```
 */
export function svdKernel(rows: number, cols: number, a: Float64Array): { s: Float64Array; u: Float64Array; v: Float64Array } {
  const r = svdRaw(rows, cols, a, 1);
  return { s: r.s, u: r.u!, v: r.v! };
}

/**
 * Unchecked singular values (descending) of a row-major `rows × cols` array (not modified).
 * @see {@link singularValues} for the checked version.
 */
export function singularValuesKernel(rows: number, cols: number, a: Float64Array): Float64Array {
  return svdRaw(rows, cols, a, 0).s;
}
