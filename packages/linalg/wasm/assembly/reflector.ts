/**
 * The Householder reflector of LAPACK `dlarfg` for the panels of `tridiagonal.ts` and
 * `bidiagonal-panel.ts`: `H = I − τ v vᵀ` with `H [α; x] = [β; 0]`, `β = −sign(α) ‖[α; x]‖`,
 * `τ = (β − α)/β` and `v = [1; x/(α − β)]` (`τ = 0`, `β = α` when `x = 0`).
 */
import { addr } from './f64-rows';

/** `√(a² + b²)` without overflow or destructive underflow (the TypeScript `safeHypot`). */
export function safeHypot(a: f64, b: f64): f64 {
  const x = Math.abs(a);
  const y = Math.abs(b);
  const big = x > y ? x : y;
  if (big > 1e-150 && big < 1e150) return Math.sqrt(a * a + b * b);
  if (big == 0.0 || big == Infinity) return big;
  const small = (x > y ? y : x) / big;
  return big * Math.sqrt(1.0 + small * small);
}

/** `β` of the last {@link reflector}. */
export let reflectorBeta: f64 = 0.0;
/** `1/(α − β)` of the last {@link reflector} (0 when `τ = 0`): `v_i = x_i · reflectorInverse`. */
export let reflectorInverse: f64 = 0.0;

/**
 * `τ` of the reflector of `α` and `x = x[start..end)` (contiguous), its norm computed with a
 * scaling by the largest entry (no overflow); sets {@link reflectorBeta} and
 * {@link reflectorInverse}. `x` is not modified.
 */
export function reflector(alpha: f64, x: usize, start: i32, end: i32): f64 {
  let scale = 0.0;
  for (let i = start; i < end; i++) scale = max(scale, Math.abs(load<f64>(addr(x, i))));
  let xnorm = 0.0;
  if (scale > 0.0) {
    const inv = 1.0 / scale;
    let ss = 0.0;
    for (let i = start; i < end; i++) {
      const t = load<f64>(addr(x, i)) * inv;
      ss += t * t;
    }
    xnorm = scale * Math.sqrt(ss);
  }
  if (xnorm == 0.0) {
    reflectorBeta = alpha;
    reflectorInverse = 0.0;
    return 0.0;
  }
  const beta = alpha >= 0.0 ? -safeHypot(alpha, xnorm) : safeHypot(alpha, xnorm);
  reflectorBeta = beta;
  reflectorInverse = 1.0 / (alpha - beta);
  return (beta - alpha) / beta;
}
