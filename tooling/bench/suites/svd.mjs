// svd suite: singular values alone and the thin SVD (U, s, Vᵀ) of a standard normal matrix, square
// n × n and tall 4n × n, against ml-matrix's SingularValueDecomposition and numpy's
// svd(compute_uv=False) / svd(full_matrices=False). The first row is the reference backend (pure
// TypeScript: Householder bidiagonalisation, the bidiagonal QR iteration with batched rotations,
// compact-WY back-transformations; a QR step first for tall inputs); `[wasm-simd]` runs that
// algorithm with its bidiagonalisation row passes, rotation chains, QR step and products in
// WebAssembly on one thread; `[native]` is LAPACK's dgesdd through @shallowscape/linalg-native
// (one OpenBLAS thread).
import { variantRows } from '../backend-variants.mjs';

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'svd',
  description: 'singular values and thin SVD of an m×n standard normal matrix (linalg.singularValues, linalg.svd / ml-matrix SingularValueDecomposition / numpy svd)',
  cases({ linalg, ml, quick, variants }) {
    const others = variants.filter((v) => v.label === 'wasm-simd' || v.label === 'native');
    const shapes = quick ? [[300, 300]] : [[500, 500], [1000, 1000], [2000, 500]];
    const cases = [];
    for (const vectors of [false, true]) {
      for (const [m, n] of shapes) {
        const name = `svd ${m}×${n} ${vectors ? 'vectors' : 'values'}`;
        const big = m * n >= 1e6;
        const reps = quick ? 3 : big ? 3 : 5;
        const input = () => {
          const rng = linalg.createRng(3000 + m + n);
          return new linalg.Matrix(m, n, rng.fillNormal(new Float64Array(m * n)));
        };
        const run = (backend) => {
          const a = input();
          return vectors ? () => linalg.svd(a, { backend }) : () => linalg.singularValues(a, { backend });
        };
        cases.push({
          name,
          params: { m, n, vectors },
          subjects: {
            shallowscape: {
              reps,
              warmup: 1,
              note: 'the reference backend (pure TypeScript), { backend }',
              setup: () => run(linalg.referenceBackend),
            },
            'ml-matrix': {
              reps: big ? 1 : reps,
              warmup: big ? 0 : 1,
              note: [vectors ? undefined : 'always computes U and V', big ? '1 timed repetition, no warm-up (slow reference)' : undefined]
                .filter(Boolean)
                .join('; ') || undefined,
              setup() {
                const a = new ml.Matrix(input().toArray());
                return () => new ml.SingularValueDecomposition(a, { autoTranspose: true });
              },
            },
          },
          numpy: { op: vectors ? 'svd' : 'svdValues', n, k: m, reps, warmup: 1, seed: 3000 + m + n },
        });
        cases.push(...variantRows(cases[cases.length - 1], others, { reps, warmup: 1 }, run));
      }
    }
    return cases;
  },
};
