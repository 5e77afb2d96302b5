// relu-risk suite: one risk + gradient evaluation of the two-layer ReLU network
// f(x) = s Σ_r a_r relu(w_r·x), s = 1/√m (NTK scaling), over both layers on (X, y) —
// TwoLayerEmpiricalRisk.valueAndGradient from @shallowscape/model, which goes through Z = X Wᵀ
// (gemm), the elementwise activation, ∇_a = (2s/N) relu(Z)ᵀ e and ∇_W = (2s/N) (1[Z>0] ⊙ e aᵀ)ᵀ X
// (gemm), in row chunks of X — against numpy's fastest vectorised form of the same computation
// (numpy_bench.py relu_risk_forms), timed in the same run. `flops` counts the two products,
// 4Nmd. The issue's shape is (d, m, N) = (50, 200, 10000). Each shape has a row per float64
// backend: the reference one, then `… [wasm-simd]`, `[wasm-simd, T threads]` and `[native]`
// (backend-variants.mjs), the objective built with `{ backend }`.
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
  name: 'relu-risk',
  description: 'two-layer ReLU network empirical risk + gradient (both layers), X N×d, W m×d, NTK scaling (TwoLayerEmpiricalRisk.valueAndGradient / numpy, fastest form)',
  cases({ linalg, quick, variants: others }) {
    const shapes = [
      [20, 50, 2000],
      [50, 200, 10000],
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
      const name = `relu risk+grad d=${d} m=${m} N=${N}${variant.label === null ? '' : ` [${variant.label}]`}`;
      const params = { d, m, N, ...variant.params };
      if (model === null || typeof model.TwoLayerEmpiricalRisk !== 'function') {
        cases.push({ name, params, skip: missing ?? '@shallowscape/model does not export TwoLayerEmpiricalRisk: rebuild it' });
        continue;
      }
      if (variant.skip !== null) {
        cases.push({ name, params, skip: variant.skip });
        continue;
      }
      const backend = { backend: variant.backend };
      const reps = quick ? 5 : 15;
      cases.push({
        name,
        params,
        flops: 4 * N * m * d,
        subjects: {
          shallowscape: {
            reps,
            warmup: 3,
            note: `alternates between two parameter vectors, so the objective’s cache never answers a call; ${variant.note}`,
            setup() {
              const rng = linalg.createRng(7000 + d);
              const x = linalg.gaussianMatrix(N, d, rng);
              const y = rng.fillNormal(new Float64Array(N));
              const objective = new model.TwoLayerEmpiricalRisk(x, y, { width: m, activation: 'relu', parameterization: 'ntk', ...backend });
              const size = m * d + m;
              const points = [rng.fillNormal(new Float64Array(size)), rng.fillNormal(new Float64Array(size))];
              const gradient = new Float64Array(size);
              let call = 0;
              return () => objective.valueAndGradient(points[call++ & 1], gradient);
            },
          },
        },
        numpy: { op: 'reluRisk', n: d, k: N, m, reps, warmup: 3, seed: 7000 + d },
      });
    }
    return cases;
  },
};
