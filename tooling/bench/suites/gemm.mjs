// gemm suite: C = AB for square n×n float64 matrices (2n³ flops), against ml-matrix's mmul and
// numpy's a @ b. The first row of each size is the reference backend (pure TypeScript); the rows
// `gemm n [wasm-simd]`, `[wasm-simd, T threads]` and `[native]` are the other float64 backends
// (backend-variants.mjs), linalg.gemm(a, b, { backend }), each with numpy again for its ratio.
// A last row times the SIMD128 peak (simd-peak.mjs), and the summary gives the one-thread
// wasm-simd kernel's fraction of it.
import { variantRows } from '../backend-variants.mjs';
import { PEAK_FLOPS_PER_STEP, simdPeakLoop } from '../simd-peak.mjs';

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'gemm',
  description: 'C = AB, n×n float64 (linalg.gemm on each backend / ml-matrix mmul / numpy a @ b)',
  async cases({ linalg, ml, quick, variants }) {
    const sizes = quick ? [256, 512] : [256, 512, 1024, 2048];
    const loop = await simdPeakLoop();
    const steps = 2e7;
    const peakCase =
      'unavailable' in loop
        ? { name: 'SIMD128 peak', params: { steps }, skip: loop.unavailable }
        : {
            name: 'SIMD128 peak',
            params: { steps, chains: 12 },
            flops: PEAK_FLOPS_PER_STEP * steps,
            subjects: {
              shallowscape: {
                reps: 9,
                warmup: 5,
                note: 'register-only f64x2 multiply + add, 12 independent chains (WebAssembly SIMD has no FMA)',
                setup: () => () => loop.peak(steps),
              },
            },
          };
    const perSize = sizes.flatMap((n) => {
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
    return [...perSize, peakCase];
  },
  summarize(out) {
    const peak = out.cases.find((c) => c.name === 'SIMD128 peak')?.results.shallowscape?.gflops;
    if (peak === undefined) return null;
    const fractions = Object.fromEntries(
      out.cases.filter((c) => c.params.backend === 'wasm-simd' && c.params.threads === 1).map((c) => [c.params.n, c.results.shallowscape.gflops / peak]),
    );
    return {
      data: { simdPeakGflops: peak, wasmSimdFractionOfPeak: fractions },
      lines: [`  SIMD128 peak ${peak.toFixed(2)} GFLOP/s; the one-thread wasm-simd gemm reaches ${Object.entries(fractions).map(([n, f]) => `${(100 * f).toFixed(0)}% at ${n}`).join(', ')}`],
    };
  },
};
