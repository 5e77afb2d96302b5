/**
 * The limited memory of L-BFGS and its two-loop recursion, with a fixed diagonal preconditioner
 * (the per-block learning rates). Internal: not exported from the package index.
 *
 * @packageDocumentation
 */

/**
 * The pairs $(s_i, y_i) = (x_{i+1} - x_i,\ \nabla f(x_{i+1}) - \nabla f(x_i))$ of the last $m$
 * accepted steps, and the product $H \nabla f$ of the L-BFGS inverse-Hessian approximation
 *
 * $$H_{i+1} = (I - \rho_i s_i y_i^\top) H_i (I - \rho_i y_i s_i^\top) + \rho_i s_i s_i^\top,
 *   \qquad \rho_i = 1/(s_i^\top y_i),$$
 *
 * started from $H_0 = \gamma D$ with $D = \operatorname{diag}(\eta)$ (the per-coordinate rates)
 * and $\gamma = s^\top y / (y^\top D y)$ of the newest pair. This is plain L-BFGS in the
 * variables $z = D^{-1/2} x$ of the trainable coordinates (frozen coordinates, $\eta = 0$, never
 * move): the recursion is covariant, so $H = D^{1/2} H_z D^{1/2}$.
 *
 * Every vector operation runs over the trainable coordinate ranges only.
 */
export class LbfgsMemory {
  /** Capacity $m$. */
  readonly capacity: number;
  /** Number of stored pairs (at most $m$). */
  count = 0;
  /** Fill `nextS` and `nextY`, then call {@link LbfgsMemory.push}. */
  nextS: Float64Array;
  /** See `nextS`. */
  nextY: Float64Array;

  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  private head = 0; // slot of the next pair
  private gamma = 1;

  /**
   * @param dimension - $n$.
   * @param capacity - $m \ge 1$.
   * @param eta - the per-coordinate rates $\eta$ (the diagonal of $D$).
   * @param ranges - pairs `start, end` of the trainable coordinate ranges.
   * @param curvatureEpsilon - $\varepsilon$ of the pair-skipping rule in {@link LbfgsMemory.push}.
   */
  constructor(
    dimension: number,
    capacity: number,
    private readonly eta: Float64Array,
    private readonly ranges: Int32Array,
    private readonly curvatureEpsilon = 1e-10,
  ) {
    this.capacity = capacity;
    for (let i = 0; i < capacity; i++) {
      this.s.push(new Float64Array(dimension));
      this.y.push(new Float64Array(dimension));
    }
    this.rho = new Float64Array(capacity);
    this.alpha = new Float64Array(capacity);
    this.nextS = new Float64Array(dimension);
    this.nextY = new Float64Array(dimension);
  }

  /** Forgets every pair ($H$ back to $D$). */
  reset(): void {
    this.count = 0;
    this.head = 0;
    this.gamma = 1;
  }

  /**
   * Stores the pair in `nextS`, `nextY` (dropping the oldest when full) unless its curvature is
   * too small: the pair is skipped when
   * $s^\top y \le \varepsilon \|D^{-1/2}s\|_2 \|D^{1/2}y\|_2$ (norms in the preconditioned
   * variables), which keeps $H$ positive definite.
   *
   * @returns whether the pair was stored.
   */
  push(): boolean {
    const { nextS: s, nextY: y, eta, ranges } = this;
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
        const sk = s[k]!;
        const yk = y[k]!;
        const e = eta[k]!;
        sy += sk * yk;
        ss += (sk * sk) / e;
        yy += e * yk * yk;
      }
    }
    if (!(sy > this.curvatureEpsilon * Math.sqrt(ss) * Math.sqrt(yy)) || !(yy > 0)) return false;
    const slot = this.head;
    this.nextS = this.s[slot]!;
    this.nextY = this.y[slot]!;
    this.s[slot] = s;
    this.y[slot] = y;
    this.rho[slot] = 1 / sy;
    this.gamma = sy / yy;
    this.head = (slot + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    return true;
  }

  /**
   * Writes the search direction $p = -H g$ into `out` (trainable coordinates only; the others
   * are left as they are) by the two-loop recursion (Nocedal & Wright, Algorithm 7.4).
   *
   * @param g - the gradient $g$, length $n$.
   * @param out - the direction $p$, length $n$ (not aliased with `g`).
   */
  direction(g: Float64Array, out: Float64Array): void {
    const { ranges, eta, rho, alpha, capacity } = this;
    const q = out;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) q[k] = g[k]!;
    }
    // First loop: newest to oldest.
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head - 1 - i + 2 * capacity) % capacity;
      const s = this.s[slot]!;
      const y = this.y[slot]!;
      let sq = 0;
      for (let r = 0; r < ranges.length; r += 2) {
        for (let k = ranges[r]!; k < ranges[r + 1]!; k++) sq += s[k]! * q[k]!;
      }
      const a = rho[slot]! * sq;
      alpha[slot] = a;
      for (let r = 0; r < ranges.length; r += 2) {
        for (let k = ranges[r]!; k < ranges[r + 1]!; k++) q[k]! -= a * y[k]!;
      }
    }
    // r = H₀ q with H₀ = γ D.
    const gamma = this.count > 0 ? this.gamma : 1;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) q[k] = gamma * eta[k]! * q[k]!;
    }
    // Second loop: oldest to newest.
    for (let i = this.count - 1; i >= 0; i--) {
      const slot = (this.head - 1 - i + 2 * capacity) % capacity;
      const s = this.s[slot]!;
      const y = this.y[slot]!;
      let yr = 0;
      for (let r = 0; r < ranges.length; r += 2) {
        for (let k = ranges[r]!; k < ranges[r + 1]!; k++) yr += y[k]! * q[k]!;
      }
      const c = alpha[slot]! - rho[slot]! * yr;
      for (let r = 0; r < ranges.length; r += 2) {
        for (let k = ranges[r]!; k < ranges[r + 1]!; k++) q[k]! += c * s[k]!;
      }
    }
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) q[k] = -q[k]!;
    }
  }
}
