/**
 * Blocked Householder bidiagonalisation of a tall matrix (LAPACK `dgebrd` with `m ≥ n`, its panel
 * `dlabrd`), in AssemblyScript with `f64x2` SIMD, for the `wasm-simd` backend's SVD.
 *
 * The working matrix `A` (`m × n`, row-major, row stride `n`) stays in linear memory. After a
 * panel of `b` steps from column `k0`, `A ← A − V Yᵀ − X Uᵀ` is still owed to the trailing block
 * (rows and columns from `k0 + b`), where `V` holds the left reflectors (column `k0 + q` of `A`
 * below the diagonal, `v_q` with its unit on the diagonal), `U` the right ones (row `k0 + q`,
 * right of the superdiagonal, its unit on the superdiagonal), and `X` (`m × nb`, row `r` at
 * `x + r·nb`) and `Y` (kept transposed, `Yᵀ`: `nb × n`, row `q` at `yt + q·n`) the panel's
 * products; {@link bidiagonalTrailingUpdate} then pays it as one rank-`2b` product through the
 * packed micro-kernel. Every vector operation of the panel runs over rows, contiguous in memory.
 *
 * Half of the `4mn² − 4n³/3` flops are the panel's two matrix–vector products per step against
 * the trailing block; they are fused into one pass over its rows (one read of each row, no write):
 * row `r` gives `x_r = τ_R (a_r·u − corrections)`, then the next column's updated entry `c_r`
 * from it, and accumulates `Σ_r c_r a_r`, from which the next step's `Aᵀv` follows once `c`'s
 * reflector is known (look-ahead), as in the unblocked pass of `bidiagonal-rows.ts`. The other
 * half are the trailing products.
 *
 * During a panel the diagonal and superdiagonal entries of its rows hold the reflectors' units
 * (1); the host writes `d` and `e` back when the reduction is done.
 */
import { addr } from './f64-rows';
import { packedProduct } from './index';
import { reflector, reflectorBeta, reflectorInverse } from './reflector';
import { addScaledRange, dotRange, dotRows, scaleRange, subtractPairs } from './row-combinations';

/**
 * One row's share of the look-ahead sums: `y[j] += s · row[j]` for `j ∈ [start, end)`, and
 * `acc[q] += s · row[k0 + q]` and `accX[q] += s · xr[q]` for `q < count`.
 */
@inline
function accumulateRow(y: usize, row: usize, s: f64, start: i32, end: i32, acc: usize, accX: usize, xr: usize, k0: i32, count: i32): void {
  addScaledRange(y, row, s, start, end);
  for (let q = 0; q < count; q++) {
    const p = addr(acc, q);
    store<f64>(p, load<f64>(p) + s * load<f64>(addr(row, k0 + q)));
    const px = addr(accX, q);
    store<f64>(px, load<f64>(px) + s * load<f64>(addr(xr, q)));
  }
}

/**
 * Reduces columns and rows `k0 … k0 + b − 1` of the working matrix `a` (`m × n`, `m ≥ n`,
 * `k0 + b ≤ n`; see the module comment), LAPACK `dlabrd`. For each step `i` (`c = k0 + i`):
 *
 * 1. column `c`, brought up to date (rows `c …`; in `col`), gives the left reflector
 *    `H_c = I − τ_L v vᵀ` (`dlarfg`): `d_c = β`, `v` below the diagonal of column `c`;
 * 2. `Y_{:,i} = τ_L (Aᵀ v − Y (Vᵀ v) − U (Xᵀ v))` on columns `c + 1 …`, `Aᵀ v` from the sums of
 *    the previous pass (or of a first pass, at `i = 0`);
 * 3. row `c` brought up to date, `a_c ← a_c − Y V_{c,:}ᵀ − U X_{c,:}ᵀ`, gives the right reflector
 *    `G_c = I − τ_R u uᵀ` (`dlarfg` on columns `c + 1 …`): `e_c = β`, `u` right of the
 *    superdiagonal of row `c`;
 * 4. one pass over rows `c + 1 …`: `X_{r,i} = τ_R (a_r·u − V_{r,:} (Yᵀ u) − X_{r,:} (U u))`, and,
 *    unless `i` is the panel's last step, the next column's entry `c_r` and the sums
 *    `Σ c_r a_r`, `Σ c_r V_{r,:}`, `Σ c_r X_{r,:}` over rows `r > c + 1`.
 *
 * Where `c = n − 1` only step 1 runs. Outputs at indices `k0 …` of `d`, `e`, `tauL`, `tauR`.
 * Scratch: `col` `m` doubles, `y` `n`, `small` `6·nb + 4`.
 */
export function bidiagonalPanel(
  m: i32, n: i32, a: usize, k0: i32, b: i32, d: usize, e: usize, tauL: usize, tauR: usize,
  x: usize, nb: i32, yt: usize, col: usize, y: usize, small: usize,
): void {
  const s1 = small;
  const s2 = addr(small, nb);
  const t1 = addr(small, 2 * nb);
  const t2 = addr(small, 3 * nb);
  const yRow = addr(small, 4 * nb);
  const uCol = addr(small, 5 * nb);
  const rowBytes = (<usize>n) << 3;
  const uRows = addr(a, k0 * n);
  // Column k0 is up to date: the first pass sums Σ_{r > k0} c_r a_r.
  {
    let src = addr(a, k0 * n + k0);
    for (let r = k0; r < m; r++) {
      store<f64>(addr(col, r), load<f64>(src));
      src += rowBytes;
    }
    if (k0 + 1 < n) {
      memory.fill(addr(y, k0 + 1), 0, (<usize>(n - k0 - 1)) << 3);
      for (let r = k0 + 1; r < m; r++) addScaledRange(y, addr(a, r * n), load<f64>(addr(col, r)), k0 + 1, n);
    }
  }
  for (let i = 0; i < b; i++) {
    const c = k0 + i;
    const rowC = addr(a, c * n);
    // 1. The left reflector of column c.
    const tl = reflector(load<f64>(addr(col, c)), col, c + 1, m);
    const inv = reflectorInverse;
    store<f64>(addr(d, c), reflectorBeta);
    store<f64>(addr(tauL, c), tl);
    {
      let dst = addr(a, (c + 1) * n + c);
      for (let r = c + 1; r < m; r++) {
        store<f64>(dst, load<f64>(addr(col, r)) * inv);
        dst += rowBytes;
      }
    }
    store<f64>(addr(rowC, c), 1.0);
    if (c == n - 1) return;
    // 2. Y_{:,i} = τ_L (Aᵀv − Y (Vᵀv) − U (Xᵀv)) on columns c+1 …, Aᵀv = a_c + Σ_{r>c} c_r a_r / (α − β).
    const yi = addr(yt, i * n);
    if (tl == 0.0) {
      memory.fill(addr(yi, c + 1), 0, (<usize>(n - c - 1)) << 3);
    } else {
      const xc = addr(x, c * nb);
      for (let q = 0; q < i; q++) {
        store<f64>(addr(t1, q), load<f64>(addr(rowC, k0 + q)) + load<f64>(addr(t1, q)) * inv);
        store<f64>(addr(t2, q), load<f64>(addr(xc, q)) + load<f64>(addr(t2, q)) * inv);
      }
      for (let j = c + 1; j < n; j++) store<f64>(addr(yi, j), load<f64>(addr(rowC, j)) + load<f64>(addr(y, j)) * inv);
      subtractPairs(yi, yt, uRows, n, t1, t2, i, c + 1, n);
      scaleRange(yi, yi, tl, c + 1, n);
    }
    // 3. Row c brought up to date (a_c ← a_c − Σ_{q≤i} V_{c,q} Y_{:,q} − Σ_{q<i} X_{c,q} u_q;
    //    V_{c,i} = 1), then its right reflector.
    {
      const xc = addr(x, c * nb);
      for (let q = 0; q < i; q++) {
        store<f64>(addr(t1, q), load<f64>(addr(rowC, k0 + q)));
        store<f64>(addr(t2, q), load<f64>(addr(xc, q)));
      }
      subtractPairs(rowC, yt, uRows, n, t1, t2, i, c + 1, n);
      for (let j = c + 1; j < n; j++) store<f64>(addr(rowC, j), load<f64>(addr(rowC, j)) - load<f64>(addr(yi, j)));
    }
    const tr = reflector(load<f64>(addr(rowC, c + 1)), rowC, c + 2, n);
    {
      const rinv = reflectorInverse;
      store<f64>(addr(e, c), reflectorBeta);
      store<f64>(addr(tauR, c), tr);
      if (tr != 0.0) for (let j = c + 2; j < n; j++) store<f64>(addr(rowC, j), load<f64>(addr(rowC, j)) * rinv);
      store<f64>(addr(rowC, c + 1), 1.0);
    }
    // 4. One pass over rows c+1 …: X_{:,i}, and the look-ahead to column c+1.
    dotRows(yt, n, i + 1, rowC, c + 1, n, s1);
    dotRows(uRows, n, i, rowC, c + 1, n, s2);
    const ahead = i + 1 < b;
    if (ahead) {
      for (let q = 0; q <= i; q++) {
        store<f64>(addr(yRow, q), load<f64>(addr(yt, q * n + c + 1)));
        store<f64>(addr(uCol, q), load<f64>(addr(uRows, q * n + c + 1)));
        store<f64>(addr(t1, q), 0.0);
        store<f64>(addr(t2, q), 0.0);
      }
      if (c + 2 < n) memory.fill(addr(y, c + 2), 0, (<usize>(n - c - 2)) << 3);
    }
    let r = c + 1;
    // Row c + 1 alone (its entry of the next column is α, not summed), then four rows at a time.
    passRow(a, n, r, x, nb, k0, i, rowC, c, tr, s1, s2, ahead, yRow, uCol, col);
    r++;
    for (; r + 3 < m; r += 4) passRows4(a, n, r, x, nb, k0, i, rowC, c, tr, s1, s2, ahead, yRow, uCol, col, y, t1, t2, addr(small, 6 * nb));
    for (; r < m; r++) {
      const cr = passRow(a, n, r, x, nb, k0, i, rowC, c, tr, s1, s2, ahead, yRow, uCol, col);
      if (ahead) accumulateRow(y, addr(a, r * n), cr, c + 2, n, t1, t2, addr(x, r * nb), k0, i + 1);
    }
  }
}

/**
 * Row `r` of step `i`'s pass (see {@link bidiagonalPanel}): stores `X_{r,i}` and, with `ahead`,
 * the next column's updated entry `c_r` in `col`, which it returns (0 without `ahead`).
 */
@inline
function passRow(
  a: usize, n: i32, r: i32, x: usize, nb: i32, k0: i32, i: i32, u: usize, c: i32, tr: f64, s1: usize, s2: usize,
  ahead: bool, yRow: usize, uCol: usize, col: usize,
): f64 {
  const row = addr(a, r * n);
  const xr = addr(x, r * nb);
  let xv = 0.0;
  if (tr != 0.0) {
    let corr = 0.0;
    for (let q = 0; q <= i; q++) corr += load<f64>(addr(row, k0 + q)) * load<f64>(addr(s1, q));
    for (let q = 0; q < i; q++) corr += load<f64>(addr(xr, q)) * load<f64>(addr(s2, q));
    xv = tr * (dotRange(row, u, c + 1, n) - corr);
  }
  store<f64>(addr(xr, i), xv);
  if (!ahead) return 0.0;
  let cr = load<f64>(addr(row, c + 1));
  for (let q = 0; q <= i; q++) cr -= load<f64>(addr(row, k0 + q)) * load<f64>(addr(yRow, q)) + load<f64>(addr(xr, q)) * load<f64>(addr(uCol, q));
  store<f64>(addr(col, r), cr);
  return cr;
}

/**
 * Rows `r … r + 3` of step `i`'s pass, all past row `c + 1`: their dot products with `u` share
 * its loads (`dotRows`, four independent sums, through `dots`), and their shares of the
 * look-ahead sums are added to `y` together (one load and store of `y` per four rows).
 */
@inline
function passRows4(
  a: usize, n: i32, r: i32, x: usize, nb: i32, k0: i32, i: i32, u: usize, c: i32, tr: f64, s1: usize, s2: usize,
  ahead: bool, yRow: usize, uCol: usize, col: usize, y: usize, t1: usize, t2: usize, dots: usize,
): void {
  const stride = (<usize>n) << 3;
  const row0 = addr(a, r * n);
  const row1 = row0 + stride;
  const row2 = row1 + stride;
  const row3 = row2 + stride;
  const xStride = (<usize>nb) << 3;
  const x0 = addr(x, r * nb);
  const x1 = x0 + xStride;
  const x2 = x1 + xStride;
  const x3 = x2 + xStride;
  let v0 = 0.0;
  let v1 = 0.0;
  let v2 = 0.0;
  let v3 = 0.0;
  if (tr != 0.0) {
    dotRows(row0, n, 4, u, c + 1, n, dots);
    let d0 = load<f64>(dots);
    let d1 = load<f64>(dots, 8);
    let d2 = load<f64>(dots, 16);
    let d3 = load<f64>(dots, 24);
    for (let q = 0; q <= i; q++) {
      const o = (<usize>(k0 + q)) << 3;
      const sq = load<f64>(addr(s1, q));
      d0 -= load<f64>(row0 + o) * sq;
      d1 -= load<f64>(row1 + o) * sq;
      d2 -= load<f64>(row2 + o) * sq;
      d3 -= load<f64>(row3 + o) * sq;
    }
    for (let q = 0; q < i; q++) {
      const o = (<usize>q) << 3;
      const sq = load<f64>(addr(s2, q));
      d0 -= load<f64>(x0 + o) * sq;
      d1 -= load<f64>(x1 + o) * sq;
      d2 -= load<f64>(x2 + o) * sq;
      d3 -= load<f64>(x3 + o) * sq;
    }
    v0 = tr * d0;
    v1 = tr * d1;
    v2 = tr * d2;
    v3 = tr * d3;
  }
  const xi = (<usize>i) << 3;
  store<f64>(x0 + xi, v0);
  store<f64>(x1 + xi, v1);
  store<f64>(x2 + xi, v2);
  store<f64>(x3 + xi, v3);
  if (!ahead) return;
  const cc = (<usize>(c + 1)) << 3;
  let c0 = load<f64>(row0 + cc);
  let c1 = load<f64>(row1 + cc);
  let c2 = load<f64>(row2 + cc);
  let c3 = load<f64>(row3 + cc);
  for (let q = 0; q <= i; q++) {
    const o = (<usize>(k0 + q)) << 3;
    const oq = (<usize>q) << 3;
    const yq = load<f64>(yRow + oq);
    const uq = load<f64>(uCol + oq);
    c0 -= load<f64>(row0 + o) * yq + load<f64>(x0 + oq) * uq;
    c1 -= load<f64>(row1 + o) * yq + load<f64>(x1 + oq) * uq;
    c2 -= load<f64>(row2 + o) * yq + load<f64>(x2 + oq) * uq;
    c3 -= load<f64>(row3 + o) * yq + load<f64>(x3 + oq) * uq;
  }
  store<f64>(addr(col, r), c0);
  store<f64>(addr(col, r + 1), c1);
  store<f64>(addr(col, r + 2), c2);
  store<f64>(addr(col, r + 3), c3);
  const C0 = f64x2.splat(c0);
  const C1 = f64x2.splat(c1);
  const C2 = f64x2.splat(c2);
  const C3 = f64x2.splat(c3);
  let j = c + 2;
  for (; j + 1 < n; j += 2) {
    const o = (<usize>j) << 3;
    const p = y + o;
    const s01 = f64x2.add(f64x2.mul(C0, v128.load(row0 + o)), f64x2.mul(C1, v128.load(row1 + o)));
    const s23 = f64x2.add(f64x2.mul(C2, v128.load(row2 + o)), f64x2.mul(C3, v128.load(row3 + o)));
    v128.store(p, f64x2.add(v128.load(p), f64x2.add(s01, s23)));
  }
  if (j < n) {
    const o = (<usize>j) << 3;
    const p = y + o;
    store<f64>(p, load<f64>(p) + ((c0 * load<f64>(row0 + o) + c1 * load<f64>(row1 + o)) + (c2 * load<f64>(row2 + o) + c3 * load<f64>(row3 + o))));
  }
  for (let q = 0; q <= i; q++) {
    const o = (<usize>(k0 + q)) << 3;
    const oq = (<usize>q) << 3;
    const p = t1 + oq;
    store<f64>(p, load<f64>(p) + ((c0 * load<f64>(row0 + o) + c1 * load<f64>(row1 + o)) + (c2 * load<f64>(row2 + o) + c3 * load<f64>(row3 + o))));
    const px = t2 + oq;
    store<f64>(px, load<f64>(px) + ((c0 * load<f64>(x0 + oq) + c1 * load<f64>(x1 + oq)) + (c2 * load<f64>(x2 + oq) + c3 * load<f64>(x3 + oq))));
  }
}

/**
 * The trailing update after a panel (the two `dgemm` of `dgebrd`): with `s = k0 + b`,
 * `A_{s:,s:} ← A_{s:,s:} − V Yᵀ − X Uᵀ` as one rank-`2b` product through the packed
 * micro-kernel, `C ← C − [V X] [Yᵀ; U]` with `P = [V X]` (`(m − s) × 2b`) and `Q = [Yᵀ; U]`
 * (`2b × (n − s)`) copied from the panel. `p` holds `(m − s)·2b` doubles, `q` `2b·(n − s)`, `pa`
 * `packedABufferLength()`, `pb` `packedBBufferLength(n − s, 2b)`, `tile` 16; all 16-byte aligned.
 */
export function bidiagonalTrailingUpdate(
  m: i32, n: i32, a: usize, k0: i32, b: i32, x: usize, nb: i32, yt: usize, p: usize, q: usize, pa: usize, pb: usize, tile: usize,
): void {
  const s = k0 + b;
  const rows = m - s;
  const cols = n - s;
  if (rows <= 0 || cols <= 0) return;
  const k = 2 * b;
  const vBytes = (<usize>b) << 3;
  for (let r = 0; r < rows; r++) {
    memory.copy(addr(p, r * k), addr(a, (s + r) * n + k0), vBytes);
    memory.copy(addr(p, r * k + b), addr(x, (s + r) * nb), vBytes);
  }
  const colBytes = (<usize>cols) << 3;
  for (let t = 0; t < b; t++) {
    memory.copy(addr(q, t * cols), addr(yt, t * n + s), colBytes);
    memory.copy(addr(q, (b + t) * cols), addr(a, (k0 + t) * n + s), colBytes);
  }
  packedProduct(false, false, rows, cols, k, -1.0, p, k, q, cols, addr(a, s * n + s), n, false, 0, pa, pb, tile, 0);
}
