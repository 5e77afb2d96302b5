// gram suite: the symmetric products behind the models' gradients and Hessians. syrk C = AAᵀ
// (A n×k) and weightedGram C = Xᵀ diag(w) X (X N×d, N ≫ d), against ml-matrix (a general
// product, which is all it has) and numpy (a @ a.T, which numpy runs as a BLAS syrk;
// (x.T * w) @ x). `flops` counts the general-product equivalent 2·n²·k, so GFLOP/s read on the
// same scale as gemm's; the symmetric kernels do about half of that work. The first row of each
// case is the reference backend; the rows `… [wasm-simd]`, `[wasm-simd, T threads]` and `[native]`
// are the other float64 backends (backend-variants.mjs, `{ backend }`).
import { variantRows } from '../backend-variants.mjs';

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'gram',
  description: 'syrk AAᵀ (n×n, k = n) and weightedGram Xᵀdiag(w)X (N×d), GFLOP/s as 2n²k gemm-equivalent',
  cases({ linalg, ml, quick, variants }) {
    const cases = [];
    // The same case on the other float64 backends: their shallowscape subject made by makeRun(backend), numpy again.
    const backendRows = (c, reps, makeRun) => variantRows(c, variants, { reps, warmup: 2 }, makeRun);
    for (const n of quick ? [512] : [512, 1000]) {
      const reps = quick ? 3 : 5;
      const input = () => linalg.gaussianMatrix(n, n, linalg.createRng(2000 + n));
      cases.push({
        name: `syrk ${n}`,
        params: { n, k: n, backend: 'reference' },
        flops: 2 * n ** 3,
        subjects: {
          shallowscape: {
            reps,
            warmup: 2,
            note: 'the reference backend (pure TypeScript), { backend }',
            setup() {
              const a = input();
              return () => linalg.syrk(a, { backend: linalg.referenceBackend });
            },
          },
          'ml-matrix': {
            reps: n >= 1000 ? Math.min(reps, 3) : reps,
            warmup: 1,
            note: 'a.mmul(a.transpose()): no symmetric product in ml-matrix',
            setup() {
              const a = new ml.Matrix(input().toArray());
              return () => a.mmul(a.transpose());
            },
          },
        },
        numpy: { op: 'syrk', n, k: n, reps, warmup: 2, seed: 2000 + n },
      });
      cases.push(
        ...backendRows(cases[cases.length - 1], reps, (backend) => {
          const a = input();
          return () => linalg.syrk(a, { backend });
        }),
      );
    }
    const shapes = quick ? [[5000, 100]] : [[20000, 100], [5000, 300]];
    for (const [N, d] of shapes) {
      const reps = quick ? 3 : 7;
      const inputs = () => {
        const rng = linalg.createRng(3000 + d);
        return { x: linalg.gaussianMatrix(N, d, rng), w: rng.fillNormal(new Float64Array(N)) };
      };
      cases.push({
        name: `weightedGram ${N}×${d}`,
        params: { N, d, backend: 'reference' },
        flops: 2 * d * d * N,
        subjects: {
          shallowscape: {
            reps,
            warmup: 2,
            note: 'the reference backend (pure TypeScript), { backend }',
            setup() {
              const { x, w } = inputs();
              return () => linalg.weightedGram(x, w, { backend: linalg.referenceBackend });
            },
          },
          'ml-matrix': {
            reps,
            warmup: 1,
            note: 'x.transpose().mmul(x.clone().mulColumnVector(w)): general product',
            setup() {
              const { x, w } = inputs();
              const xm = new ml.Matrix(x.toArray());
              const scale = Array.from(w);
              return () => xm.transpose().mmul(xm.clone().mulColumnVector(scale));
            },
          },
        },
        numpy: { op: 'weightedGram', n: d, k: N, reps, warmup: 2, seed: 3000 + d },
      });
      cases.push(
        ...backendRows(cases[cases.length - 1], reps, (backend) => {
          const { x, w } = inputs();
          return () => linalg.weightedGram(x, w, { backend });
        }),
      );
    }
    return cases;
  },
};
