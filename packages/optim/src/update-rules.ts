/**
 * One step of each method of `minimize`: fixed-step and Armijo gradient descent, heavy-ball and
 * Nesterov momentum, Adam, and L-BFGS with a strong Wolfe line search. Internal: `minimize`
 * validates the options and drives the loop (stopping rules, history, divergence checks).
 *
 * @packageDocumentation
 */
import { LbfgsMemory } from './lbfgs-memory';
import { strongWolfeLineSearch, type LinePoint } from './line-search';

/** The optimisation methods of `minimize`. */
export type MinimizeMethod = 'gd' | 'momentum' | 'nesterov' | 'adam' | 'lbfgs';

/**
 * The state an update rule reads and advances: the current iterate $x_t$ with $f(x_t)$ and
 * $\nabla f(x_t)$, the per-coordinate rates and the trainable ranges, and the objective.
 */
export interface UpdateContext {
  /** $x_t$, advanced in place to $x_{t+1}$. */
  readonly x: Float64Array;
  /** $\nabla f(x_t)$, advanced in place. */
  readonly g: Float64Array;
  /** $f(x_t)$, advanced. */
  f: number;
  /** Per-coordinate rates $\eta_k$ (0 on frozen coordinates). */
  readonly eta: Float64Array;
  /** Pairs `start, end` of the trainable coordinate ranges; frozen coordinates are never written. */
  readonly ranges: Int32Array;
  /** Writes $\nabla f(z)$ into `out` and returns $f(z)$ (one counted evaluation). */
  evaluate(z: Float64Array, out: Float64Array): number;
  /** $f(z)$ alone (one counted evaluation); used by backtracking when no fused evaluation exists. */
  evaluateValue(z: Float64Array): number;
  /** $\nabla f(z)$ into `out`, at a point whose value was just evaluated (not counted again). */
  evaluateGradient(z: Float64Array, out: Float64Array): void;
  /** Whether the objective has a fused `valueAndGradient` (then trials evaluate both at once). */
  readonly fused: boolean;
}

/** Method parameters, validated by `minimize`. */
export interface UpdateParameters {
  readonly method: MinimizeMethod;
  readonly armijo: boolean;
  readonly momentum: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly memory: number;
}

/**
 * Advances the context by one accepted step. Returns `false` (leaving the context unchanged)
 * when no step decreases $f$: a backtracking or line search that found no acceptable step even
 * along the (preconditioned) steepest-descent direction. When every trial of that search had a
 * NaN or infinite value (or slope), however short the step, the rule moves to the last trial
 * and returns `true`, so that the caller's divergence check reports it.
 */
export type UpdateRule = () => boolean;

/** Sufficient-decrease constant $c_1$ of both line searches. */
export const ARMIJO_C1 = 1e-4;
/** Curvature constant $c_2$ of the strong Wolfe search (the quasi-Newton value). */
export const WOLFE_C2 = 0.9;
/** Most halvings of the Armijo trial step: $2^{-60} \approx 10^{-18}$. */
const MAX_HALVINGS = 60;

/** Creates the update rule of `parameters.method` on `ctx` (allocating its state once). */
export function createUpdateRule(ctx: UpdateContext, parameters: UpdateParameters): UpdateRule {
  switch (parameters.method) {
    case 'gd':
      return parameters.armijo ? armijoDescent(ctx) : fixedStepDescent(ctx);
    case 'momentum':
      return heavyBall(ctx, parameters.momentum);
    case 'nesterov':
      return nesterov(ctx, parameters.momentum);
    case 'adam':
      return adam(ctx, parameters.beta1, parameters.beta2, parameters.epsilon);
    case 'lbfgs':
      return lbfgs(ctx, parameters.memory);
  }
}

/** $x \leftarrow x - \eta \odot \nabla f(x)$. */
function fixedStepDescent(ctx: UpdateContext): UpdateRule {
  const { x, g, eta, ranges } = ctx;
  return () => {
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) x[k]! -= eta[k]! * g[k]!;
    }
    ctx.f = ctx.evaluate(x, g);
    return true;
  };
}

/**
 * $x \leftarrow x - \alpha\,\eta \odot \nabla f(x)$ with $\alpha \in \{1, \tfrac12, \tfrac14, \dots\}$
 * times the previous accepted $\alpha$, the first satisfying
 * $f(x_{+}) \le f(x) - c_1 \alpha\, \nabla f^\top D \nabla f$; $\alpha$ doubles (up to 1) after a
 * step accepted at its first trial.
 */
function armijoDescent(ctx: UpdateContext): UpdateRule {
  const { x, g, eta, ranges } = ctx;
  const trialX = x.slice();
  const trialG = new Float64Array(x.length);
  let alpha = 1;
  return () => {
    let lastValue = ctx.f;
    let trials = 0;
    let finiteTrials = 0;
    let decrease = 0; // ∇fᵀ D ∇f
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) decrease += eta[k]! * g[k]! * g[k]!;
    }
    for (let halvings = 0; halvings <= MAX_HALVINGS; halvings++, alpha *= 0.5) {
      let moved = false;
      for (let r = 0; r < ranges.length; r += 2) {
        for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
          const v = x[k]! - alpha * eta[k]! * g[k]!;
          if (v !== x[k]) moved = true;
          trialX[k] = v;
        }
      }
      if (!moved) break; // the step no longer changes x in floating point
      const value = ctx.fused ? ctx.evaluate(trialX, trialG) : ctx.evaluateValue(trialX);
      lastValue = value;
      trials++;
      if (Number.isFinite(value)) finiteTrials++;
      if (value <= ctx.f - ARMIJO_C1 * alpha * decrease) {
        if (!ctx.fused) ctx.evaluateGradient(trialX, trialG);
        x.set(trialX);
        g.set(trialG);
        ctx.f = value;
        if (halvings === 0) alpha = Math.min(1, 2 * alpha);
        return true;
      }
    }
    if (trials > 0 && finiteTrials === 0) {
      // f is NaN or infinite down to the shortest step that changes x: move there so that the
      // caller reports the divergence, naming the value.
      x.set(trialX);
      ctx.f = lastValue;
      return true;
    }
    return false;
  };
}

/** Polyak's heavy ball: $v \leftarrow \beta v - \eta \odot \nabla f(x)$, $x \leftarrow x + v$. */
function heavyBall(ctx: UpdateContext, beta: number): UpdateRule {
  const { x, g, eta, ranges } = ctx;
  const v = new Float64Array(x.length);
  return () => {
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
        const vk = beta * v[k]! - eta[k]! * g[k]!;
        v[k] = vk;
        x[k]! += vk;
      }
    }
    ctx.f = ctx.evaluate(x, g);
    return true;
  };
}

/**
 * Nesterov's accelerated gradient in the look-ahead variables $y_t = x_t + \beta v_t$:
 * $v \leftarrow \beta v - \eta \odot \nabla f(y)$, $y \leftarrow y + \beta v - \eta \odot \nabla f(y)$
 * (one gradient per step; $y$ is the reported iterate).
 */
function nesterov(ctx: UpdateContext, beta: number): UpdateRule {
  const { x, g, eta, ranges } = ctx;
  const v = new Float64Array(x.length);
  return () => {
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
        const step = eta[k]! * g[k]!;
        const vk = beta * v[k]! - step;
        v[k] = vk;
        x[k]! += beta * vk - step;
      }
    }
    ctx.f = ctx.evaluate(x, g);
    return true;
  };
}

/**
 * Adam: $m \leftarrow \beta_1 m + (1-\beta_1) g$, $v \leftarrow \beta_2 v + (1-\beta_2) g^2$,
 * $x \leftarrow x - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)$ with $\hat m = m / (1-\beta_1^t)$,
 * $\hat v = v / (1 - \beta_2^t)$.
 */
function adam(ctx: UpdateContext, beta1: number, beta2: number, epsilon: number): UpdateRule {
  const { x, g, eta, ranges } = ctx;
  const m = new Float64Array(x.length);
  const v = new Float64Array(x.length);
  let t = 0;
  return () => {
    t++;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
        const gk = g[k]!;
        const mk = beta1 * m[k]! + (1 - beta1) * gk;
        const vk = beta2 * v[k]! + (1 - beta2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        x[k]! -= (eta[k]! * (mk / correction1)) / (Math.sqrt(vk / correction2) + epsilon);
      }
    }
    ctx.f = ctx.evaluate(x, g);
    return true;
  };
}

/**
 * L-BFGS: $p = -H \nabla f$ (two-loop recursion, {@link LbfgsMemory}), a strong Wolfe line
 * search from $\alpha = 1$ (from $\min(1, 1/\|D^{1/2}\nabla f\|)$ on the first step and after
 * a reset), the pair $(s, y)$ stored unless its curvature is too small. When $p$ is not a
 * descent direction, or the line search finds no decrease, the memory is reset and the step
 * retried along $-D\nabla f$; if that fails too the rule reports no progress.
 */
function lbfgs(ctx: UpdateContext, capacity: number): UpdateRule {
  const { x, g, eta, ranges } = ctx;
  const n = x.length;
  const memory = new LbfgsMemory(n, capacity, eta, ranges);
  const p = new Float64Array(n);
  const trialX = x.slice();
  const trialG = new Float64Array(n);
  let lastAlpha = Number.NaN; // the step whose point trialX/trialG hold
  let lastPoint: LinePoint = { value: 0, slope: 0 };
  let trials = 0; // of the current line search
  let finiteTrials = 0;

  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) s += a[k]! * b[k]!;
    }
    return s;
  };
  const phi = (alpha: number): LinePoint => {
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) trialX[k] = x[k]! + alpha * p[k]!;
    }
    lastAlpha = alpha;
    const value = ctx.evaluate(trialX, trialG);
    lastPoint = { value, slope: dot(trialG, p) };
    trials++;
    if (Number.isFinite(lastPoint.value) && Number.isFinite(lastPoint.slope)) finiteTrials++;
    return lastPoint;
  };
  // No acceptable step: report no progress, or move onto a non-finite last trial (see UpdateRule).
  const fail = (): boolean => {
    if (trials > 0 && finiteTrials === 0) {
      x.set(trialX);
      g.set(trialG);
      ctx.f = lastPoint.value;
      return true;
    }
    return false;
  };
  const steepest = (): number => {
    let gDg = 0;
    for (let r = 0; r < ranges.length; r += 2) {
      for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
        p[k] = -eta[k]! * g[k]!;
        gDg += eta[k]! * g[k]! * g[k]!;
      }
    }
    return gDg;
  };

  return () => {
    lastAlpha = Number.NaN;
    for (let attempt = 0; attempt < 2; attempt++) {
      trials = 0;
      finiteTrials = 0;
      let slope0: number;
      let alpha0: number;
      if (memory.count > 0) {
        memory.direction(g, p);
        slope0 = dot(g, p);
        alpha0 = 1;
        if (!(slope0 < 0)) {
          memory.reset(); // not a descent direction: restart from steepest descent
          continue;
        }
      } else {
        const gDg = steepest();
        slope0 = -gDg;
        alpha0 = Math.min(1, 1 / Math.sqrt(gDg));
        if (!(slope0 < 0) || !(alpha0 > 0)) return fail();
      }
      const result = strongWolfeLineSearch(phi, ctx.f, slope0, alpha0, { c1: ARMIJO_C1, c2: WOLFE_C2 });
      if (result.status === 'failed') {
        if (memory.count === 0) return fail();
        memory.reset();
        continue;
      }
      // Bring the accepted point back into trialX/trialG when it was not the last one evaluated.
      const value = lastAlpha === result.alpha ? result.value : phi(result.alpha).value;
      const s = memory.nextS;
      const y = memory.nextY;
      let moved = false;
      for (let r = 0; r < ranges.length; r += 2) {
        for (let k = ranges[r]!; k < ranges[r + 1]!; k++) {
          const sk = trialX[k]! - x[k]!;
          if (sk !== 0) moved = true;
          s[k] = sk;
          y[k] = trialG[k]! - g[k]!;
        }
      }
      if (!moved) return false; // the accepted step rounds to no change in x (it decreased f, so it was finite)
      memory.push();
      x.set(trialX);
      g.set(trialG);
      ctx.f = value;
      return true;
    }
    return fail();
  };
}
