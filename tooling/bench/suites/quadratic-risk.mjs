// quadratic-risk suite: one risk + gradient evaluation of the quadratic network f(x) = ‖Wx‖² on
// (X, y) — QuadraticEmpiricalRisk.valueAndGradient from @shallowscape/model, which goes through
// A = WᵀW (syrk), f_i = x_iᵀ A x_i (the backend's quadraticForms, else gemm on column
// blocks) and S = Xᵀ diag(e) X (weightedGram),
// O(md² + Nd²) — against numpy's fastest vectorised form of the same computation
// (numpy_bench.py quadratic_risk_forms: A = W.T@W; e = ((X@A)*X).sum(1) − y or an einsum;
// G = 4/N · W@((X.T*e)@X) or W@(X.T@(X*e[:,None]))), timed in the same run. ml-matrix has no
// counterpart. `flops` counts the general-product equivalent 4Nd² + 4md² (X@A, S, WᵀW, W@S).
// Each shape has a row per float64 backend: the reference one, then `… [wasm-simd]`,
// `[wasm-simd, T threads]` and `[native]` (backend-variants.mjs), the objective built with `{ backend }`.
//
// The model package is imported from its build (packages/model/dist, made by `pnpm bench`); when
// it is missing the cases are listed as skipped.

let model = null;
let missing = null;
try {
  model = await import(new URL('../../../packages/model/dist/index.js', import.meta.url).href);
} catch (e) {
  missing = `@shallowscape/model is not built (${e.code ?? e.message}): run pnpm build`;
}

/** Why the model's cases cannot run (its build is missing or old), or null. */
export function modelMissing() {
  if (model === null) return missing;
  return typeof model.QuadraticEmpiricalRisk === 'function' ? null : '@shallowscape/model does not export QuadraticEmpiricalRisk: rebuild it';
}

/**
 * One risk + gradient evaluation at (d, m, N) on `backend`, as a function to time: X, y and two
 * weight matrices drawn from `createRng(seed)`, the calls alternating between the two matrices so
 * that the objective's residual cache never answers.
 */
export function riskAndGradient(linalg, backend, [d, m, N], seed) {
  const rng = linalg.createRng(seed);
  const x = linalg.gaussianMatrix(N, d, rng);
  const y = rng.fillNormal(new Float64Array(N));
  const objective = new model.QuadraticEmpiricalRisk(x, y, m, { backend });
  const points = [linalg.gaussianMatrix(m, d, rng).data, linalg.gaussianMatrix(m, d, rng).data];
  const gradient = new Float64Array(m * d);
  let call = 0;
  return () => objective.valueAndGradient(points[call++ & 1], gradient);
}

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'quadratic-risk',
  description: 'quadratic-network empirical risk + gradient, X N×d, W m×d (QuadraticEmpiricalRisk.valueAndGradient / numpy, fastest form)',
  cases({ linalg, quick, variants: others }) {
    const shapes = quick
      ? [
          [20, 40, 2000],
          [50, 100, 10000],
        ]
      : [
          [20, 40, 2000],
          [50, 100, 10000],
          [100, 200, 20000],
        ];
    const cases = [];
    // The reference backend's row, then one per other float64 backend (backend-variants.mjs).
    const variants = [
      { label: null, backend: linalg.referenceBackend, params: { backend: 'reference' }, note: 'products on the reference backend', skip: null },
      ...others,
    ];
    const runs = shapes.flatMap((shape) => variants.map((variant) => ({ shape, variant })));
    for (const { shape, variant } of runs) {
      const [d, m, N] = shape;
      const name = `risk+grad d=${d} m=${m} N=${N}${variant.label === null ? '' : ` [${variant.label}]`}`;
      const params = { d, m, N, ...variant.params };
      if (modelMissing() !== null) {
        cases.push({ name, params, skip: modelMissing() });
        continue;
      }
      if (variant.skip !== null) {
        cases.push({ name, params, skip: variant.skip });
        continue;
      }
      const reps = quick ? 5 : N >= 20000 ? 9 : 15;
      cases.push({
        name,
        params,
        flops: 4 * N * d * d + 4 * m * d * d,
        subjects: {
          shallowscape: {
            reps,
            warmup: 3,
            note: `alternates between two weight matrices, so the objective’s residual cache never answers a call; ${variant.note}`,
            setup: () => riskAndGradient(linalg, variant.backend, shape, 5000 + d),
          },
        },
        numpy: { op: 'quadraticRisk', n: d, k: N, m, reps, warmup: 3, seed: 5000 + d },
      });
    }
    // The cost's growth: N doubled at (d, m) = (50, 100), d doubled at (N, m) = (10000, 100), on the
    // fastest one-thread backend; `summarize` fits the exponents (expected: 1 in N, 2 in d).
    const fastest = others.find((v) => v.label === 'native' && v.skip === null) ?? others.find((v) => v.label === 'wasm-simd' && v.skip === null);
    if (modelMissing() === null && fastest !== undefined && !quick) {
      const series = [
        ...[5000, 10000, 20000, 40000].map((N) => ({ series: 'N', d: 50, m: 100, N })),
        ...[25, 50, 100, 200].map((d) => ({ series: 'd', d, m: 100, N: 10000 })),
      ];
      for (const { series: which, d, m, N } of series) {
        cases.push({
          name: `scaling in ${which}: d=${d} m=${m} N=${N} [${fastest.label}]`,
          params: { series: which, d, m, N, ...fastest.params },
          subjects: {
            shallowscape: {
              reps: 7,
              warmup: 2,
              note: `for the fitted cost exponent in ${which}; ${fastest.note}`,
              setup: () => riskAndGradient(linalg, fastest.backend, [d, m, N], 6000 + d),
            },
          },
        });
      }
    }
    return cases;
  },
  summarize(out) {
    const fit = (which) => {
      const points = out.cases.filter((c) => c.params.series === which).map((c) => [Math.log(c.params[which]), Math.log(c.results.shallowscape.medianMs)]);
      if (points.length < 2) return null;
      const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
      const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
      const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
      const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
      return sxy / sxx;
    };
    const exponents = { N: fit('N'), d: fit('d') };
    if (exponents.N === null) return null;
    return {
      data: { costExponent: exponents },
      lines: [`  fitted cost exponent of risk + gradient (least squares in log–log): N^${exponents.N.toFixed(3)} at (d, m) = (50, 100); d^${exponents.d.toFixed(3)} at (N, m) = (10000, 100)`],
    };
  },
};
