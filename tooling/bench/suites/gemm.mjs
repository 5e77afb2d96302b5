// gemm suite: C = AB for square n×n float64 matrices (2n³ flops), against ml-matrix's mmul and
// numpy's a @ b. Each size has a second row, `gemm n [wasm-simd]`, whose shallowscape column is
// the WebAssembly SIMD backend (linalg.gemm(a, b, { backend })); skipped where the build or the
// engine lacks it.

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'gemm',
  description: 'C = AB, n×n float64 (linalg.matmul / ml-matrix mmul / numpy a @ b)',
  cases({ linalg, ml, quick }) {
    const sizes = quick ? [256, 512] : [256, 512, 1024];
    const wasm = typeof linalg.getWasmSimdBackend === 'function' ? linalg.getWasmSimdBackend() : null;
    return sizes.flatMap((n) => {
      const reps = quick ? 3 : n >= 1024 ? 5 : 9;
      const mlReps = n >= 1024 ? (quick ? 1 : 3) : reps;
      const wasmName = `gemm ${n} [wasm-simd]`;
      const wasmCase =
        wasm === null
          ? { name: wasmName, params: { n, backend: 'wasm-simd' }, skip: 'no wasm-simd backend (old build or no WebAssembly SIMD)' }
          : {
              name: wasmName,
              params: { n, backend: 'wasm-simd' },
              flops: 2 * n ** 3,
              subjects: {
                shallowscape: {
                  reps,
                  warmup: 2,
                  note: 'the wasm-simd backend (WebAssembly f64x2), linalg.gemm(a, b, { backend })',
                  setup() {
                    const rng = linalg.createRng(n);
                    const a = linalg.gaussianMatrix(n, n, rng);
                    const b = linalg.gaussianMatrix(n, n, rng);
                    return () => linalg.gemm(a, b, { backend: wasm });
                  },
                },
              },
              numpy: { op: 'matmul', n, reps, warmup: 2, seed: n },
            };
      const referenceCase = {
        name: `gemm ${n}`,
        params: { n },
        flops: 2 * n ** 3,
        subjects: {
          shallowscape: {
            reps,
            warmup: 2,
            setup() {
              const rng = linalg.createRng(n);
              const a = linalg.gaussianMatrix(n, n, rng);
              const b = linalg.gaussianMatrix(n, n, rng);
              return () => linalg.matmul(a, b);
            },
          },
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
        },
        numpy: { op: 'matmul', n, reps, warmup: 2, seed: n },
      };
      return [referenceCase, wasmCase];
    });
  },
};
