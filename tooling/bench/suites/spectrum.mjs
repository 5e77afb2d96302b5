// spectrum suite: the eigenvalues of a Wishart matrix WᵀW, W m×d standard Gaussian, at
// (m, d) = (4000, 200) — what `shallowscape spectrum --ensemble wishart` computes — against numpy
// in the same run (numpy_bench.py ops wishartEigvalsh / wishartSpectrum).
//
// - `form+eigvalsh`: for a fixed W, form WᵀW and take its eigenvalues: linalg.syrk(W, { transpose })
//   + linalg.eigvalsh (the steps of rmt's dense path) against numpy's eigvalsh(W.T @ W).
// - `wishartSpectrum dense`: rmt.wishartSpectrum(m, d, rng, { method: 'dense' }) — draw W, form,
//   eigvalsh — against numpy drawing W with default_rng().standard_normal and the same two steps.
// - `wishartSpectrum tridiagonal`: rmt.wishartSpectrum with the Dumitriu–Edelman model (O(d) chi
//   draws and an O(d²) tridiagonal eigensolver; same distribution, not the same numbers) against
//   numpy's dense route, which is how numpy users get such a spectrum.
//
// The rmt package is imported from its build (packages/rmt/dist, made by `pnpm bench`); when it is
// missing the rmt cases are listed as skipped.

import { onBackend, variantRows } from '../backend-variants.mjs';

let rmt = null;
let missing = null;
try {
  rmt = await import(new URL('../../../packages/rmt/dist/index.js', import.meta.url).href);
} catch (e) {
  missing = `@shallowscape/rmt is not built (${e.code ?? e.message}): run pnpm build`;
}

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'spectrum',
  description: 'Wishart spectrum of WᵀW, W m×d (linalg syrk + eigvalsh, rmt.wishartSpectrum dense / tridiagonal / numpy eigvalsh(W.T@W))',
  cases({ linalg, quick, variants }) {
    const [m, d] = [4000, 200];
    const params = { m, d };
    const reps = quick ? 3 : 9;
    const numpy = (op) => ({ op, n: d, m, reps, warmup: 2, seed: 7000 + d });
    const cases = [
      {
        name: `form+eigvalsh m=${m} d=${d}`,
        params: { ...params, method: 'form+eigvalsh' },
        subjects: {
          shallowscape: {
            reps,
            warmup: 2,
            note: 'the reference backend',
            setup() {
              const w = linalg.gaussianMatrix(m, d, linalg.createRng(7000 + d));
              return onBackend(linalg, linalg.referenceBackend, () => linalg.eigvalsh(linalg.syrk(w, { transpose: true })));
            },
          },
        },
        numpy: numpy('wishartEigvalsh'),
      },
    ];
    for (const method of ['dense', 'tridiagonal']) {
      const name = `wishartSpectrum ${method} m=${m} d=${d}`;
      if (rmt === null || typeof rmt.wishartSpectrum !== 'function') {
        cases.push({ name, params: { ...params, method }, skip: missing ?? '@shallowscape/rmt does not export wishartSpectrum: rebuild it' });
        continue;
      }
      cases.push({
        name,
        params: { ...params, method },
        subjects: {
          shallowscape: {
            reps,
            warmup: 2,
            note:
              method === 'dense'
                ? 'draws W (polar-method normals), forms WᵀW, eigvalsh'
                : 'Dumitriu–Edelman tridiagonal model; numpy column: its dense route (draw, form, eigvalsh)',
            setup() {
              const rng = linalg.createRng(7000 + d);
              return onBackend(linalg, linalg.referenceBackend, () => rmt.wishartSpectrum(m, d, rng, { method }));
            },
          },
        },
        numpy: numpy('wishartSpectrum'),
      });
    }
    // The same on the wasm-simd backend (one thread: its syrk and blocked eigh) and the native one
    // (OpenBLAS dsyrk, LAPACK dsyevd), each made the default for the call.
    const others = variants.filter((v) => v.label === 'wasm-simd' || v.label === 'native');
    cases.push(
      ...variantRows(cases[0], others, { reps, warmup: 2 }, (backend) => {
        const w = linalg.gaussianMatrix(m, d, linalg.createRng(7000 + d));
        return onBackend(linalg, backend, () => linalg.eigvalsh(linalg.syrk(w, { transpose: true })));
      }),
    );
    if (rmt !== null && typeof rmt.wishartSpectrum === 'function') {
      cases.push(
        ...variantRows(cases[1], others, { reps, warmup: 2 }, (backend) => {
          const rng = linalg.createRng(7000 + d);
          return onBackend(linalg, backend, () => rmt.wishartSpectrum(m, d, rng, { method: 'dense' }));
        }),
      );
    }
    return cases;
  },
};
