// gemm suite: C = AB for square n×n float64 matrices (2n³ flops), against ml-matrix's mmul and
// numpy's a @ b. The first row of each size is the reference backend (pure TypeScript); the rows
// `gemm n [wasm-simd]`, `[wasm-simd, T threads]` and `[native]` are the other float64 backends
// (backend-variants.mjs), linalg.gemm(a, b, { backend }), each with numpy again for its ratio.
import { variantRows } from '../backend-variants.mjs';

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'gemm',
  description: 'C = AB, n×n float64 (linalg.gemm on each backend / ml-matrix mmul / numpy a @ b)',
  cases({ linalg, ml, quick, variants }) {
    const sizes = quick ? [256, 512] : [256, 512, 1024, 2048];
    return sizes.flatMap((n) => {
      const reps = quick ? 3 : n >= 2048 ? 3 : n >= 1024 ? 5 : 9;
      const mlReps = n >= 1024 ? (quick ? 1 : n >= 2048 ? 1 : 3) : reps;
      const inputs = () => {
        const rng = linalg.createRng(n);
        return [linalg.gaussianMatrix(n, n, rng), linalg.gaussianMatrix(n, n, rng)];
      };
      const numpy = { op: 'matmul', n, reps, warmup: 2, seed: n };
      const referenceCase = {
        name: `gemm ${n}`,
        params: { n, backend: 'reference' },
        flops: 2 * n ** 3,
        subjects: {
          shallowscape: {
            reps: n >= 2048 ? 1 : reps,
            warmup: n >= 2048 ? 0 : 2,
            note: 'the reference backend (pure TypeScript), { backend }',
            setup() {
              const [a, b] = inputs();
              return () => linalg.gemm(a, b, { backend: linalg.referenceBackend });
            },
          },
          ...(n >= 2048
            ? {}
            : {
                'ml-matrix': {
                  reps: mlReps,
                  warmup: 1,
                  note: mlReps < reps ? `${mlReps} timed repetitions (slow reference)` : undefined,
                  setup() {
                    const rng = linalg.createRng(n);
                    const a = new ml.Matrix(linalg.gaussianMatrix(n, n, rng).toArray());
                    const b = new ml.Matrix(linalg.gaussianMatrix(n, n, rng).toArray());
                    return () => a.mmul(b);
                  },
                },
              }),
        },
        numpy,
      };
      const rows = variantRows({ name: `gemm ${n}`, params: { n }, flops: 2 * n ** 3, numpy }, variants, { reps, warmup: 2 }, (backend) => {
        const [a, b] = inputs();
        return () => linalg.gemm(a, b, { backend });
      });
      return [referenceCase, ...rows];
    });
  },
};
