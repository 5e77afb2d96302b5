/**
 * The implicit-shift QR iteration on an upper bidiagonal matrix with Demmel–Kahan zero shifts
 * (LAPACK `dbdsqr`): the singular values of the bidiagonal to high relative accuracy, and the
 * rotations that diagonalise it.
 *
 * @packageDocumentation
 */
import { ConvergenceError } from '../errors';
import { planeRotation, rot } from './plane-rotation';
import type { RotationLog } from './rotation-log';
import { UNIT_ROUNDOFF, sign, smallerSingularValue2, sv2, triangularSvd2 } from './triangular-svd2';

/** Smallest normalised double (LAPACK `dlamch('S')`). */
const SAFE_MIN = 2.2250738585072014e-308;
/** Iteration budget factor: at most `6n²` inner QR steps (as LAPACK `dbdsqr`). */
const MAX_ITER_FACTOR = 6;

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
export function bidiagonalQr(n: number, d: Float64Array, e: Float64Array, log: RotationLog | null): void {
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
