/**
 * Blocked Householder tridiagonalisation of a symmetric matrix (LAPACK `dsytrd` with `uplo = 'L'`,
 * its panel `dlatrd`), in AssemblyScript with `f64x2` SIMD, for the `wasm-simd` backend's `eigh`.
 *
 * The working matrix `A` (`n × n`, row-major, row stride `n`) stays in linear memory for the
 * whole reduction. Its lower triangle holds the symmetric matrix; its upper triangle receives the
 * reflectors: `v_c` (acting on indices `c+1..n−1`, `(v_c)_{c+1} = 1`) is stored in row `c`,
 * columns `c+1..n−1` (`a[c·n + i] = (v_c)_i`), the layout of the TypeScript reduction
 * (`src/decompositions/tridiagonal.ts`), so that the same back-transformation applies. With that
 * layout the panel's `V` (`m × nb`) is available transposed, `Vᵀ` = rows `k0..k0+nb−1` of the
 * upper triangle; `W` is kept transposed too (`Wᵀ`, `nb × n`, row `j` = `w_j` in global indices),
 * so that every vector operation of the panel runs over contiguous memory.
 */
import { addr } from './f64-rows';
import { packedProduct } from './index';
import { reflector, reflectorBeta, reflectorInverse } from './reflector';
import { addScaledRange, dotRange, dotRows, scaleRange, subtractPairs } from './row-combinations';

/**
 * `y ← A x` for the symmetric `m × m` `A` of which only the lower triangle is read, row `i` at
 * `a + i·lda` (LAPACK `dsymv` with `uplo = 'L'`, for row-major storage). One pass over the
 * triangle, four rows at a time: row `i` contributes `Σ_{j<i} a_ij x_j` to `y_i` (in two lanes)
 * and `a_ij x_i` to every `y_j`, so each loaded pair of `x` and `y` serves four rows. `x` and `y`
 * must not overlap. The summation order depends only on `m`.
 */
export function symmetricLowerProduct(m: i32, a: usize, lda: i32, x: usize, y: usize): void {
  memory.fill(y, 0, (<usize>m) << 3);
  const stride = (<usize>lda) << 3;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = addr(a, i * lda);
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const x0 = load<f64>(addr(x, i));
    const x1 = load<f64>(addr(x, i + 1));
    const x2 = load<f64>(addr(x, i + 2));
    const x3 = load<f64>(addr(x, i + 3));
    const X0 = f64x2.splat(x0);
    const X1 = f64x2.splat(x1);
    const X2 = f64x2.splat(x2);
    const X3 = f64x2.splat(x3);
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    let s2 = f64x2.splat(0.0);
    let s3 = f64x2.splat(0.0);
    // i is a multiple of 4: the columns j < i come in whole pairs.
    for (let o: usize = 0, end = (<usize>i) << 3; o < end; o += 16) {
      const xv = v128.load(x + o);
      const a0 = v128.load(r0 + o);
      const a1 = v128.load(r1 + o);
      const a2 = v128.load(r2 + o);
      const a3 = v128.load(r3 + o);
      s0 = f64x2.add(s0, f64x2.mul(a0, xv));
      s1 = f64x2.add(s1, f64x2.mul(a1, xv));
      s2 = f64x2.add(s2, f64x2.mul(a2, xv));
      s3 = f64x2.add(s3, f64x2.mul(a3, xv));
      const yp = y + o;
      const t = f64x2.add(f64x2.add(f64x2.mul(a0, X0), f64x2.mul(a1, X1)), f64x2.add(f64x2.mul(a2, X2), f64x2.mul(a3, X3)));
      v128.store(yp, f64x2.add(v128.load(yp), t));
    }
    // The 4 × 4 diagonal block (lower triangle and diagonal).
    const a00 = load<f64>(addr(r0, i));
    const a10 = load<f64>(addr(r1, i));
    const a11 = load<f64>(addr(r1, i + 1));
    const a20 = load<f64>(addr(r2, i));
    const a21 = load<f64>(addr(r2, i + 1));
    const a22 = load<f64>(addr(r2, i + 2));
    const a30 = load<f64>(addr(r3, i));
    const a31 = load<f64>(addr(r3, i + 1));
    const a32 = load<f64>(addr(r3, i + 2));
    const a33 = load<f64>(addr(r3, i + 3));
    const h0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    const h1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    const h2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    const h3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    // Rows before i never reach y[i..i+3]: these are the first contributions.
    store<f64>(addr(y, i), h0 + (a00 * x0 + a10 * x1 + a20 * x2 + a30 * x3));
    store<f64>(addr(y, i + 1), h1 + (a10 * x0 + a11 * x1 + a21 * x2 + a31 * x3));
    store<f64>(addr(y, i + 2), h2 + (a20 * x0 + a21 * x1 + a22 * x2 + a32 * x3));
    store<f64>(addr(y, i + 3), h3 + (a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3));
  }
  for (; i < m; i++) {
    const ri = addr(a, i * lda);
    const xi = load<f64>(addr(x, i));
    let s = 0.0;
    for (let j = 0; j < i; j++) {
      const aij = load<f64>(addr(ri, j));
      s += aij * load<f64>(addr(x, j));
      const yj = addr(y, j);
      store<f64>(yj, load<f64>(yj) + aij * xi);
    }
    store<f64>(addr(y, i), s + load<f64>(addr(ri, i)) * xi);
  }
}

/**
 * Reduces the panel of columns `k0..k0+nb−1` of the working matrix `a` (`n × n`, see the module
 * comment; `k0 + nb ≤ n − 1`), LAPACK `dlatrd` with `uplo = 'L'`: for each column `c`,
 *
 * 1. its entries `c..n−1` are brought up to date with the panel's earlier reflectors,
 *    `a_{:,c} ← a_{:,c} − V W_{c,:}ᵀ − W V_{c,:}ᵀ` (the trailing block itself is updated only after
 *    the panel, by {@link tridiagonalTrailingUpdate});
 * 2. the reflector `H_c = I − τ_c v_c v_cᵀ` with `H_c a_{c+1:,c} = β e₁` is formed as LAPACK `dlarfg`
 *    (`β = −sign(α)‖a_{c+1:,c}‖`), giving `d_c = a_cc`, `e_c = β` and `τ_c`; `v_c` goes to row `c`;
 * 3. `y = A_{c+1:,c+1:} v_c` by {@link symmetricLowerProduct} on the not-yet-updated trailing
 *    block, corrected to the current matrix, `y ← y − V (Wᵀ v_c) − W (Vᵀ v_c)`;
 * 4. `w_c = τ_c y − ½ τ_c² (yᵀ v_c) v_c`, stored as row `c − k0` of `wt`.
 *
 * `wt` is `nb × n` (row stride `n`); `col` and `y` hold `n` doubles, `tmp` `2·nb`; `d`, `e`, `tau`
 * are written at indices `k0..k0+nb−1`.
 */
export function tridiagonalPanel(
  n: i32, a: usize, k0: i32, nb: i32, d: usize, e: usize, tau: usize, wt: usize, col: usize, y: usize, tmp: usize,
): void {
  const rowBytes = (<usize>n) << 3;
  for (let j = 0; j < nb; j++) {
    const c = k0 + j;
    // 1. Column c (rows c..n−1), brought up to date.
    let src = addr(a, c * n + c);
    for (let i = c; i < n; i++) {
      store<f64>(addr(col, i), load<f64>(src));
      src += rowBytes;
    }
    const vRows = addr(a, k0 * n);
    for (let q = 0; q < j; q++) {
      store<f64>(addr(tmp, q), load<f64>(addr(wt, q * n + c)));
      store<f64>(addr(tmp, nb + q), load<f64>(addr(vRows, q * n + c)));
    }
    subtractPairs(col, vRows, wt, n, tmp, addr(tmp, nb), j, c, n);
    store<f64>(addr(d, c), load<f64>(addr(col, c)));
    // 2. The reflector (dlarfg), v_c written to row c.
    const alpha = load<f64>(addr(col, c + 1));
    const t = reflector(alpha, col, c + 2, n);
    const v = addr(a, c * n);
    store<f64>(addr(v, c + 1), 1.0);
    store<f64>(addr(e, c), reflectorBeta);
    if (t == 0.0) {
      if (c + 2 < n) memory.fill(addr(v, c + 2), 0, (<usize>(n - c - 2)) << 3);
    } else {
      const s = reflectorInverse;
      for (let i = c + 2; i < n; i++) store<f64>(addr(v, i), load<f64>(addr(col, i)) * s);
    }
    store<f64>(addr(tau, c), t);
    const wj = addr(wt, j * n);
    if (t == 0.0) {
      memory.fill(addr(wj, c + 1), 0, (<usize>(n - c - 1)) << 3);
      continue;
    }
    // 3. y = A v on the stale trailing block, then the panel's corrections.
    const c1 = c + 1;
    symmetricLowerProduct(n - c1, addr(a, c1 * n + c1), n, addr(v, c1), addr(y, c1));
    dotRows(wt, n, j, v, c1, n, tmp);
    dotRows(vRows, n, j, v, c1, n, addr(tmp, nb));
    subtractPairs(y, vRows, wt, n, tmp, addr(tmp, nb), j, c1, n);
    // 4. w = τ y − ½ τ (τ yᵀv) v.
    scaleRange(wj, y, t, c1, n);
    addScaledRange(wj, v, -0.5 * t * dotRange(wj, v, c1, n), c1, n);
  }
}

/**
 * The trailing update after a panel (LAPACK `dsyr2k` in `dsytrd`): with `s = k0 + nb` and
 * `m = n − s`, `A_{s:,s:} ← A_{s:,s:} − V Wᵀ − W Vᵀ` on the lower triangle, as one rank-`2nb`
 * product through the packed micro-kernel: `P = [Vᵀ; Wᵀ; Vᵀ]` (`3nb × m`, copied from the panel
 * rows), then `C ← C − Pᵀ_{0:2nb} P_{nb:3nb}` with `lowerOnly` (`packedProduct`). Entries just
 * above the diagonal of `A_{s:,s:}` receive partial sums; they lie in rows not yet reduced, whose
 * reflectors overwrite them later.
 *
 * `p` holds `3·nb·m` doubles, `pa` `packedABufferLength()`, `pb` `packedBBufferLength(m, 2nb)`,
 * `tile` 16; all 16-byte aligned.
 */
export function tridiagonalTrailingUpdate(
  n: i32, a: usize, k0: i32, nb: i32, wt: usize, p: usize, pa: usize, pb: usize, tile: usize,
): void {
  const s = k0 + nb;
  const m = n - s;
  if (m <= 0) return;
  const bytes = (<usize>m) << 3;
  for (let q = 0; q < nb; q++) {
    const vq = addr(a, (k0 + q) * n + s);
    memory.copy(addr(p, q * m), vq, bytes);
    memory.copy(addr(p, (nb + q) * m), addr(wt, q * n + s), bytes);
    memory.copy(addr(p, (2 * nb + q) * m), vq, bytes);
  }
  packedProduct(true, false, m, m, 2 * nb, -1.0, p, m, addr(p, nb * m), m, addr(a, s * n + s), n, true, 0, pa, pb, tile, 0);
}
