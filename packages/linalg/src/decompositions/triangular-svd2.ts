/**
 * Singular values and vectors of $2 \times 2$ upper triangular matrices (LAPACK `dlasv2`,
 * `dlas2`), the deflation steps of the bidiagonal QR iteration.
 *
 * @packageDocumentation
 */

/** Unit roundoff `2⁻⁵³` (LAPACK `dlamch('E')`), used by the bidiagonal QR tolerances. */
export const UNIT_ROUNDOFF = Number.EPSILON / 2;

/** Output slots of {@link triangularSvd2}: ssmin, ssmax, snr, csr, snl, csl. */
export const sv2 = new Float64Array(6);

/** Fortran `SIGN(a, b)`: $|a|$ with the sign of $b$ ($+$ for $b = \pm 0$). */
export const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/**
 * SVD of the upper triangular `[f g; 0 h]` (LAPACK `dlasv2`):
 * `[csl snl; −snl csl] [f g; 0 h] [csr −snr; snr csr] = [ssmax 0; 0 ssmin]`,
 * `|ssmax| ≥ |ssmin|`, accurate to a few ulps. Writes to {@link sv2}.
 */
export function triangularSvd2(f: number, g: number, h: number): void {
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
export function smallerSingularValue2(f: number, g: number, h: number): number {
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
