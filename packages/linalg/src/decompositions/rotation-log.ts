/**
 * Batched application of the Givens rotations of the bidiagonal QR sweeps to the factors
 * $U_B$ and $V_B$, row by row, so each row stays in cache while a batch of sweeps passes.
 *
 * @packageDocumentation
 */

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
/**
 * Applies logged chains to the `rows` rows (length `n`) of the row-major factor `x` in place:
 * chain `op < ops` acts on columns `lo[op] … hi[op]`, forward when `forward[op]` is 1, with
 * rotation `j` at `cs[off[op] + j − lo[op]]`, `sn[…]` (the first `used` entries of `cs`, `sn` are
 * set). `firsts`/`lasts` bound the nonzero columns of each row and are updated. The TypeScript
 * {@link rotationChainsKernel} is the default; the `wasm-simd` backend has one with its bits.
 */
export type RotationChains = (
  x: Float64Array,
  rows: number,
  n: number,
  ops: number,
  lo: Int32Array,
  hi: Int32Array,
  off: Int32Array,
  forward: Uint8Array,
  cs: Float64Array,
  sn: Float64Array,
  used: number,
  firsts: Int32Array,
  lasts: Int32Array,
) => void;

export class RotationLog {
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
  private readonly chains: RotationChains;
  private ops = 0;
  private used = 0;

  /** `chains` applies a batch to a factor (default {@link rotationChainsKernel}). */
  constructor(n: number, leftInit: Float64Array | null = null, leftRows = n, chains: RotationChains = rotationChainsKernel) {
    this.n = n;
    this.chains = chains;
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
    const { n, ops, lo, hi, off, forward, used } = this;
    this.chains(this.ub, this.leftRows, n, ops, lo, hi, off, forward, this.cu, this.su, used, this.firstU, this.lastU);
    this.chains(this.vb, n, n, ops, lo, hi, off, forward, this.cv, this.sv, used, this.firstV, this.lastV);
    this.ops = 0;
    this.used = 0;
  }
}

/**
 * The TypeScript {@link RotationChains}: the rows pass through every chain four at a time (one
 * row stays in cache while a whole batch of sweeps passes). A chain skips the part of a row where
 * its carry is still exactly zero (both factors start as the identity).
 */
export function rotationChainsKernel(
  x: Float64Array,
  rows: number,
  n: number,
  ops: number,
  los: Int32Array,
  his: Int32Array,
  offs: Int32Array,
  fwd: Uint8Array,
  cs: Float64Array,
  sn: Float64Array,
  _used: number,
  firsts: Int32Array,
  lasts: Int32Array,
): void {
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
