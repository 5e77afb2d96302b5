// eigh suite: symmetric eigendecomposition of a random n×n symmetric matrix, values only and
// with vectors, against ml-matrix's EigenvalueDecomposition (assumeSymmetric) and numpy's
// eigvalsh / eigh. The first row is the reference backend (pure TypeScript); `[wasm-simd]` is the
// wasm-simd backend's own eigh on one thread (blocked dsytrd, dsterf, divide and conquer and the
// compact-WY back-transformation on its WebAssembly kernels); `[native]` is LAPACK's dsyevd
// through @shallowscape/linalg-native (one OpenBLAS thread).
import { variantRows } from '../backend-variants.mjs';

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'eigh',
  description: 'symmetric eigendecomposition, n×n (linalg.eigh / ml-matrix EigenvalueDecomposition / numpy eigvalsh, eigh)',
  cases({ linalg, ml, quick, variants }) {
    const others = variants.filter((v) => v.label === 'wasm-simd' || v.label === 'native');
    const available = typeof linalg.eigh === 'function';
    const sizes = quick ? [200, 500] : [200, 500, 1000];
    const cases = [];
    for (const vectors of [false, true]) {
      for (const n of sizes) {
        const name = `eigh ${n} ${vectors ? 'vectors' : 'values'}`;
        if (!available) {
          cases.push({ name, params: { n, vectors }, skip: '@shallowscape/linalg does not export eigh (yet): rebuild once it does' });
          continue;
        }
        const reps = quick ? 3 : n >= 1000 ? 3 : 5;
        // ml-matrix computes vectors either way (there is no values-only mode); its n = 1000 run takes seconds.
        const mlReps = n >= 1000 ? 1 : n >= 500 ? (quick ? 1 : 3) : reps;
        const symmetric = () => linalg.randomSymmetric(n, linalg.createRng(1000 + n));
        cases.push({
          name,
          params: { n, vectors },
          subjects: {
            shallowscape: {
              reps,
              warmup: 1,
              note: 'the reference backend (pure TypeScript), { backend }',
              setup() {
                const a = symmetric();
                return () => linalg.eigh(a, { vectors, backend: linalg.referenceBackend });
              },
            },
            'ml-matrix': {
              reps: mlReps,
              warmup: n >= 1000 ? 0 : 1,
              note: [
                vectors ? undefined : 'always computes vectors',
                mlReps < reps ? `${mlReps} timed repetition${mlReps === 1 ? '' : 's'}${n >= 1000 ? ', no warm-up' : ''} (slow reference)` : undefined,
              ]
                .filter(Boolean)
                .join('; ') || undefined,
              setup() {
                const a = new ml.Matrix(symmetric().toArray());
                return () => new ml.EigenvalueDecomposition(a, { assumeSymmetric: true });
              },
            },
          },
          numpy: { op: vectors ? 'eigh' : 'eigvalsh', n, reps, warmup: 1, seed: 1000 + n },
        });
        cases.push(
          ...variantRows(cases[cases.length - 1], others, { reps, warmup: 1 }, (backend) => {
            const a = symmetric();
            return () => linalg.eigh(a, { vectors, backend });
          }),
        );
      }
    }
    return cases;
  },
};
