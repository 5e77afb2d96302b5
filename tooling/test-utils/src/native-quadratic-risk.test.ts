/**
 * The empirical risk of `@shallowscape/model` on the native backend of
 * `@shallowscape/linalg-native` (whose `quadraticForms`, `syrk`, `weightedGram` and `gemm` it runs
 * on): against the reference backend to a tolerance derived from the rounding of each step,
 * against central finite differences, and the same bits for 1, 2 and 3 threads of the addon's
 * pool. The import graph keeps `model` and `linalg-native` from importing each other, so this
 * cross-package test lives here (tooling is outside the graph); the packages are imported by name
 * at run time (resolved to their sources by the vitest config), so typechecking this package needs
 * no build of theirs. Skipped where the addon is not built.
 *
 * Tolerances (u = 2⁻⁵³, γ_k = 8 (k + 2) u as in the conformance suite). With s_i = Σ_r (|w_r|·|x_i|)²
 * (the quadratic form of |x_i| and |W|ᵀ|W| ≥ |Q|), a backend's residual is within
 * (γ_m + γ_{2d}) s_i of the exact one (Q by syrk, then the forms), so two backends' residuals
 * differ by at most δ_i = 2 (γ_m + γ_{2d}) s_i. Then S = Xᵀ diag(e) X differs by at most
 * E = |X|ᵀ diag(δ + 2 γ_N |e|) |X|, and the gradient (4/N) diag(v) W S by at most
 * (4/N) |W| (E + 2 γ_d |S|); the risk (1/N) Σ e_i² by (1/N) Σ (2|e_i| δ_i + δ_i²) + 2 γ_N risk.
 * Finite differences: central differences of step h = 1e-5 · ‖w‖ along a unit direction, within
 * 1e-6 relative of ⟨∇L, u⟩ (truncation O(h²) and rounding O(u L / h), both far below that).
 */
import { describe, expect, it } from 'vitest';

interface MatrixLike {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}
interface Rng {
  fillNormal(a: Float64Array): Float64Array;
}
type Gemm = (ta: boolean, tb: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array) => void;
interface Backend {
  readonly name: string;
  gemm?: Gemm;
  weightedGram?: (rows: number, cols: number, x: Float64Array, w: Float64Array, c: Float64Array) => void;
  quadraticForms?: (n: number, d: number, x: Float64Array, a: Float64Array, f: Float64Array) => void;
}
interface Objective {
  valueAndGradient(w: Float64Array, out: Float64Array): number;
  value(w: Float64Array): number;
  hessianVectorProduct(w: Float64Array, u: Float64Array): Float64Array;
  residuals(w: MatrixLike): Float64Array;
}
interface Linalg {
  createRng(seed: number): Rng;
  gaussianMatrix(rows: number, cols: number, rng: Rng): MatrixLike;
  referenceBackend: Backend;
  Matrix: new (rows: number, cols: number, data: Float64Array) => MatrixLike;
}
interface Model {
  QuadraticEmpiricalRisk: new (x: MatrixLike, y: Float64Array, width: number, options?: { backend?: Backend; signs?: Float64Array }) => Objective;
}
interface Native {
  loadNativeBackend(): { available: true; backend: Backend } | { available: false; reason: string };
  setNativeThreads(threads: number): number;
  getNativeThreads(): number;
}

// Names in variables: resolved by the vitest aliases at run time, not by tsc.
const names = { linalg: '@shallowscape/linalg', model: '@shallowscape/model', native: '@shallowscape/linalg-native' };
const linalg = (await import(/* @vite-ignore */ names.linalg)) as Linalg;
const model = (await import(/* @vite-ignore */ names.model)) as Model;
const nativeModule = (await import(/* @vite-ignore */ names.native)) as Native;
const load = nativeModule.loadNativeBackend();
const native = load.available ? load.backend : null;
const U = 2 ** -53;
const gamma = (k: number): number => 8 * (k + 2) * U;

interface Problem {
  d: number;
  m: number;
  n: number;
  x: MatrixLike;
  y: Float64Array;
  signs: Float64Array | undefined;
  w: Float64Array;
  u: Float64Array;
}

function problem(d: number, m: number, n: number, signed: boolean): Problem {
  const rng = linalg.createRng(101 * d + 7 * m + n);
  const x = linalg.gaussianMatrix(n, d, rng);
  const teacher = linalg.gaussianMatrix(m, d, rng).data;
  // Labels near a teacher's outputs, so the residuals at w are not all of one size.
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let r = 0; r < m; r++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += teacher[r * d + k]! * x.data[i * d + k]!;
      f += z * z;
    }
    y[i] = f / m;
  }
  const signs = signed ? Float64Array.from({ length: m }, (_, r) => (r % 3 === 2 ? -1 : 1)) : undefined;
  const w = linalg.gaussianMatrix(m, d, rng).data.map((t) => t / Math.sqrt(m));
  const u = linalg.gaussianMatrix(m, d, rng).data;
  return { d, m, n, x, y, signs, w, u };
}

function objective(p: Problem, backend: Backend): Objective {
  return new model.QuadraticEmpiricalRisk(p.x, p.y, p.m, { backend, ...(p.signs === undefined ? {} : { signs: p.signs }) });
}

function withThreads<T>(threads: number, run: () => T): T {
  const before = nativeModule.getNativeThreads();
  nativeModule.setNativeThreads(threads);
  try {
    return run();
  } finally {
    nativeModule.setNativeThreads(before);
  }
}

const shapes: Array<[number, number, number, boolean]> = [
  [5, 3, 40, false],
  [17, 6, 300, true],
  [33, 8, 1000, true],
  // 12 bands of 256 rows, above the addon's cutover: the forms run on the pool.
  [100, 20, 3000, false],
];

describe.skipIf(native === null)(`QuadraticEmpiricalRisk on the native backend${load.available ? '' : ` (unavailable: ${load.reason})`}`, () => {
  for (const [d, m, n, signed] of shapes) {
    it(`risk and gradient within the rounding bound of the reference backend's: d=${d}, m=${m}, N=${n}, signed=${signed}`, () => {
      const p = problem(d, m, n, signed);
      const ref = linalg.referenceBackend;
      const onNative = objective(p, native!);
      const onReference = objective(p, ref);
      const gNative = new Float64Array(m * d);
      const gRef = new Float64Array(m * d);
      const riskNative = onNative.valueAndGradient(p.w, gNative);
      const riskRef = onReference.valueAndGradient(p.w, gRef);
      const wm = new linalg.Matrix(m, d, p.w.slice());
      const eNative = onNative.residuals(wm);
      const eRef = onReference.residuals(wm);
      // s_i = Σ_r (|w_r|·|x_i|)², δ_i = 2 (γ_m + γ_2d) s_i.
      const absX = p.x.data.map(Math.abs);
      const absW = p.w.map(Math.abs);
      const z = new Float64Array(n * m);
      ref.gemm!(false, true, n, m, d, 1, absX, absW, 0, z);
      const delta = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let r = 0; r < m; r++) s += z[i * m + r]! ** 2;
        delta[i] = 2 * (gamma(m) + gamma(2 * d)) * s;
      }
      for (let i = 0; i < n; i++) expect(Math.abs(eNative[i]! - eRef[i]!), `residual ${i}`).toBeLessThanOrEqual(delta[i]!);
      let riskBound = 2 * gamma(n) * riskRef;
      for (let i = 0; i < n; i++) riskBound += (2 * Math.abs(eRef[i]!) * delta[i]! + delta[i]! ** 2) / n;
      expect(Math.abs(riskNative - riskRef), 'risk').toBeLessThanOrEqual(riskBound);
      // E = |X|ᵀ diag(δ + 2γ_N|e|) |X|, |ΔG| ≤ (4/N) |W| (E + 2γ_d |S|).
      const weights = Float64Array.from(eRef, (e, i) => delta[i]! + 2 * gamma(n) * Math.abs(e));
      const big = new Float64Array(d * d);
      ref.weightedGram!(n, d, absX, weights, big);
      const s = new Float64Array(d * d);
      ref.weightedGram!(n, d, p.x.data, eRef, s);
      for (let k = 0; k < d * d; k++) big[k] = big[k]! + 2 * gamma(d) * Math.abs(s[k]!);
      const bound = new Float64Array(m * d);
      ref.gemm!(false, false, m, d, d, 4 / n, absW, big, 0, bound);
      for (let k = 0; k < m * d; k++) expect(Math.abs(gNative[k]! - gRef[k]!), `gradient ${k}`).toBeLessThanOrEqual(bound[k]!);
    });

    it(`gradient and Hessian-vector product agree with central differences: d=${d}, m=${m}, N=${n}, signed=${signed}`, () => {
      const p = problem(d, m, n, signed);
      const f = objective(p, native!);
      let norm = 0;
      for (const t of p.u) norm += t * t;
      const dir = p.u.map((t) => t / Math.sqrt(norm));
      let wNorm = 0;
      for (const t of p.w) wNorm += t * t;
      const h = 1e-5 * Math.sqrt(wNorm);
      const plus = p.w.map((t, k) => t + h * dir[k]!);
      const minus = p.w.map((t, k) => t - h * dir[k]!);
      const g = new Float64Array(m * d);
      f.valueAndGradient(p.w, g);
      let slope = 0;
      let scale = 0;
      for (let k = 0; k < m * d; k++) {
        slope += g[k]! * dir[k]!;
        scale += Math.abs(g[k]! * dir[k]!);
      }
      const fd = (f.value(plus) - f.value(minus)) / (2 * h);
      expect(Math.abs(fd - slope), `directional derivative ${fd} vs ${slope}`).toBeLessThanOrEqual(1e-6 * scale);
      // HVP: (∇L(w + h u) − ∇L(w − h u)) / 2h against ∇²L(w)[u].
      const hv = f.hessianVectorProduct(p.w, dir);
      const gp = new Float64Array(m * d);
      const gm = new Float64Array(m * d);
      f.valueAndGradient(plus, gp);
      f.valueAndGradient(minus, gm);
      let diff = 0;
      let size = 0;
      for (let k = 0; k < m * d; k++) {
        diff += ((gp[k]! - gm[k]!) / (2 * h) - hv[k]!) ** 2;
        size += hv[k]! ** 2;
      }
      expect(Math.sqrt(diff), 'Hessian-vector product vs differences of gradients').toBeLessThanOrEqual(1e-6 * Math.sqrt(size));
    });

    it(`the same bits for 1, 2 and 3 threads (risk, gradient, HVP): d=${d}, m=${m}, N=${n}, signed=${signed}`, () => {
      const p = problem(d, m, n, signed);
      const runs = [1, 2, 3].map((threads) =>
        withThreads(threads, () => {
          const f = objective(p, native!);
          const g = new Float64Array(m * d);
          const risk = f.valueAndGradient(p.w, g);
          return { risk, g, hv: f.hessianVectorProduct(p.w, p.u) };
        }),
      );
      for (const run of runs.slice(1)) {
        expect(Object.is(run.risk, runs[0]!.risk)).toBe(true);
        expect(run.g).toEqual(runs[0]!.g);
        expect(run.hv).toEqual(runs[0]!.hv);
      }
    });
  }

  it("runs the native backend's own quadraticForms", () => {
    const p = problem(17, 6, 300, false);
    let calls = 0;
    const counted: Backend = {
      ...native!,
      name: 'native-counted',
      quadraticForms: (...args) => {
        calls++;
        native!.quadraticForms!(...args);
      },
    };
    const g = new Float64Array(6 * 17);
    expect(objective(p, counted).valueAndGradient(p.w, g)).toBe(objective(p, native!).valueAndGradient(p.w, new Float64Array(6 * 17)));
    expect(calls).toBe(1);
  });
});
