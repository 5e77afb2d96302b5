// certificate suite: certifyQuadraticNetwork from @shallowscape/certificates on a (d, m, N) quadratic
// network (teacher labels of a Gaussian m×d teacher, a Gaussian student W), without the lifted solve
// ({ solve: false }): gradient norm; λ_min of the Hessian by Lanczos on Hessian-vector products
// (md = 5000 parameters, past the dense limit; tolerance 1e-10 relative); G = (2/N) Xᵀ diag(e) X and
// its eigenvalues; the singular values of the N × d(d+1)/2 lifted design Φ (the dominant cost,
// O(N d⁴)). numpy does the same work in the same run (numpy_bench.py certificate_work: scipy's
// eigsh on a LinearOperator of HVPs, eigvalsh, np.linalg.svd(Φ, compute_uv=False)).
// A second case times the singular values of Φ alone (numpy: np.linalg.svd(Φ, compute_uv=False) on
// the same Φ), a third solveLiftedProblem (FISTA on the PSD cone), which has no numpy counterpart.
//
// The packages are imported from their builds (packages/*/dist, made by `pnpm bench`); when one is
// missing the cases are listed as skipped.

import { onBackend, variantRows } from '../backend-variants.mjs';

let certificates = null;
let model = null;
let missing = null;
try {
  model = await import(new URL('../../../packages/model/dist/index.js', import.meta.url).href);
  certificates = await import(new URL('../../../packages/certificates/dist/index.js', import.meta.url).href);
} catch (e) {
  missing = `@shallowscape/model or @shallowscape/certificates is not built (${e.code ?? e.message}): run pnpm build`;
}

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'certificate',
  description: 'certifyQuadraticNetwork (solve: false) for (d, m, N); numpy: the same gradient, HVP eigsh, eigvalsh(G), svd(Φ)',
  cases({ linalg, quick, variants }) {
    const shapes = quick ? [[20, 40, 2000]] : [[50, 100, 10000]];
    const cases = [];
    for (const [d, m, N] of shapes) {
      const params = { d, m, N };
      const name = `certify d=${d} m=${m} N=${N}`;
      if (certificates === null || typeof certificates.certifyQuadraticNetwork !== 'function') {
        cases.push({ name, params, skip: missing ?? '@shallowscape/certificates does not export certifyQuadraticNetwork: rebuild it' });
        continue;
      }
      const reps = quick ? 1 : 3;
      const warmup = quick ? 0 : 1;
      const data = () => {
        const rng = linalg.createRng(7000 + d);
        const x = linalg.gaussianMatrix(N, d, rng);
        const teacher = model.sampleTeacher(m, d, rng);
        const y = model.teacherLabels(x, teacher);
        const w = linalg.gaussianMatrix(m, d, rng);
        return { x, y, w };
      };
      cases.push({
        name,
        params,
        subjects: {
          shallowscape: {
            reps,
            warmup,
            note: 'gradient + Lanczos λ_min(∇²L̂) + eigh(G) + singular values of Φ (N × d(d+1)/2)',
            setup() {
              const { x, y, w } = data();
              return onBackend(linalg, linalg.referenceBackend, () => certificates.certifyQuadraticNetwork({ w, x, y }, { solve: false }));
            },
          },
        },
        numpy: { op: 'certificate', n: d, k: N, m, reps, warmup, seed: 7000 + d },
      });
      cases.push(
        // On wasm-simd (its eigh, the blocked QR step of the SVD on its gemm) and native (OpenBLAS, LAPACK's
        // dsyevd and dgesdd), each made the default for the call.
        ...variantRows(cases[cases.length - 1], variants.filter((v) => v.label === 'wasm-simd' || v.label === 'native'), { reps, warmup }, (backend) => {
          const { x, y, w } = data();
          return onBackend(linalg, backend, () => certificates.certifyQuadraticNetwork({ w, x, y }, { solve: false }));
        }),
      );
      // The dominant part of certify: the singular values of the lifted design Φ (N × d(d+1)/2).
      const phiCols = (d * (d + 1)) / 2;
      const phiOf = () => certificates.liftedDesign(data().x);
      cases.push({
        name: `singular values of Φ ${N}×${phiCols}`,
        params: { d, N, rows: N, cols: phiCols },
        subjects: {
          shallowscape: {
            reps: 1,
            warmup: 0,
            note: 'linalg.singularValues(Φ, { backend }) on the reference backend (one timed run: slow)',
            setup() {
              const phi = phiOf();
              return () => linalg.singularValues(phi, { backend: linalg.referenceBackend });
            },
          },
        },
        numpy: { op: 'liftedSingularValues', n: d, k: N, reps, warmup, seed: 7000 + d },
      });
      cases.push(
        ...variantRows(cases[cases.length - 1], variants.filter((v) => v.label === 'wasm-simd' || v.label === 'native'), { reps, warmup }, (backend) => {
          const phi = phiOf();
          return () => linalg.singularValues(phi, { backend });
        }),
      );
      cases.push({
        name: `lifted solve (PSD FISTA) d=${d} N=${N}`,
        params,
        subjects: {
          shallowscape: {
            reps,
            warmup: 0,
            note: 'solveLiftedProblem(x, y) to 1e-10 relative gradient mapping; no numpy counterpart',
            setup() {
              const { x, y } = data();
              return onBackend(linalg, linalg.referenceBackend, () => certificates.solveLiftedProblem(x, y));
            },
          },
        },
      });
      cases.push(
        ...variantRows(cases[cases.length - 1], variants.filter((v) => v.label === 'wasm-simd' || v.label === 'native'), { reps, warmup: 0 }, (backend) => {
          const { x, y } = data();
          return onBackend(linalg, backend, () => certificates.solveLiftedProblem(x, y));
        }),
      );
    }
    return cases;
  },
};
