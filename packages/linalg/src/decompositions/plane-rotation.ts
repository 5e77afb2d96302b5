/**
 * Givens plane rotations (LAPACK 3.10 `dlartg`) for the bidiagonal QR iteration of the SVD.
 *
 * @packageDocumentation
 */

/** Output slots of {@link planeRotation}: cosine, sine, r. */
export const rot = new Float64Array(3);

/**
 * Givens rotation with `[c s; −s c] [f; g] = [r; 0]`, `r = ±hypot(f, g)` with the sign of `f`
 * (LAPACK 3.10 `dlartg`). Writes `c, s, r` to {@link rot}.
 */
export function planeRotation(f: number, g: number): void {
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
