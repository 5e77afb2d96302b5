// quadratic-risk suite: one risk + gradient evaluation of the quadratic network f(x) = ‖Wx‖² on
// (X, y) — QuadraticEmpiricalRisk.valueAndGradient from @shallowscape/model, which goes through
// A = WᵀW (syrk), f_i = x_iᵀ A x_i (gemm on column blocks) and S = Xᵀ diag(e) X (weightedGram),
// O(md² + Nd²) — against numpy's fastest vectorised form of the same computation
// (numpy_bench.py quadratic_risk_forms: A = W.T@W; e = ((X@A)*X).sum(1) − y or an einsum;
// G = 4/N · W@((X.T*e)@X) or W@(X.T@(X*e[:,None]))), timed in the same run. ml-matrix has no
// counterpart. `flops` counts the general-product equivalent 4Nd² + 4md² (X@A, S, WᵀW, W@S).
// Each shape has a second row, `… [wasm-simd]`: the same objective built with
// `{ backend: linalg.getWasmSimdBackend() }`, so its products run on WebAssembly SIMD.
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

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'quadratic-risk',
  description: 'quadratic-network empirical risk + gradient, X N×d, W m×d (QuadraticEmpiricalRisk.valueAndGradient / numpy, fastest form)',
  cases({ linalg, quick }) {
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
    const wasm = typeof linalg.getWasmSimdBackend === 'function' ? linalg.getWasmSimdBackend() : null;
    const variants = [
      { suffix: '', backend: undefined },
      { suffix: ' [wasm-simd]', backend: wasm, skip: 'no wasm-simd backend (old build or no WebAssembly SIMD)' },
    ];
    const runs = shapes.flatMap((shape) => variants.map((variant) => ({ shape, variant })));
    for (const { shape, variant } of runs) {
      const [d, m, N] = shape;
      const name = `risk+grad d=${d} m=${m} N=${N}${variant.suffix}`;
      const params = variant.suffix === '' ? { d, m, N } : { d, m, N, backend: 'wasm-simd' };
      if (model === null || typeof model.QuadraticEmpiricalRisk !== 'function') {
        cases.push({ name, params, skip: missing ?? '@shallowscape/model does not export QuadraticEmpiricalRisk: rebuild it' });
        continue;
      }
      if (variant.backend === null) {
        cases.push({ name, params, skip: variant.skip });
        continue;
      }
      const options = variant.backend === undefined ? undefined : { backend: variant.backend };
      const reps = quick ? 5 : N >= 20000 ? 9 : 15;
      cases.push({
        name,
        params,
        flops: 4 * N * d * d + 4 * m * d * d,
        subjects: {
          shallowscape: {
            reps,
            warmup: 3,
            note: `alternates between two weight matrices, so the objective’s residual cache never answers a call${options ? '; products on the wasm-simd backend' : ''}`,
            setup() {
              const rng = linalg.createRng(5000 + d);
              const x = linalg.gaussianMatrix(N, d, rng);
              const y = rng.fillNormal(new Float64Array(N));
              const objective = new model.QuadraticEmpiricalRisk(x, y, m, options);
              const points = [linalg.gaussianMatrix(m, d, rng).data, linalg.gaussianMatrix(m, d, rng).data];
              const gradient = new Float64Array(m * d);
              let call = 0;
              return () => objective.valueAndGradient(points[call++ & 1], gradient);
            },
          },
        },
        numpy: { op: 'quadraticRisk', n: d, k: N, m, reps, warmup: 3, seed: 5000 + d },
      });
    }
    return cases;
  },
};
