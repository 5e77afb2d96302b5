/**
 * The backend conformance suite: every {@link LinalgBackend} must pass it (as every tfjs
 * backend re-runs the core tests). Call {@link describeBackendConformance} from a test file;
 * this module imports vitest and is not exported from the package index.
 *
 * Each kernel slot the backend provides is compared with a plain triple-loop reference and
 * with numpy fixtures (`kernels/fixtures/kernels.json`, from `gen_kernels.py`) on seeded random
 * inputs: odd sizes, empty dimensions, all transposes, several `α`/`β`, `β = 0` over NaN.
 * Slots the backend lacks are reported as skipped. The asynchronous products (`gemmAsync`,
 * `syrkAsync`, `weightedGramAsync`, for device backends) run the same tests as their synchronous
 * contracts, awaited.
 *
 * Tolerances come from the backend's precision through the unit roundoff `u` (`2⁻⁵³` for
 * float64, `2⁻²⁴` for float32):
 * - products (`gemm`, `syrk`, `weightedGram`, `gemv`, `dot`): each entry within
 *   `γ · (|α| (|A||B|)_ij + |β| |C_ij|)`, `γ = 8 (k + 2) u`, the classical componentwise bound
 *   `k u` of any summation order with a margin of 8 (float64, `k = 100`: `γ ≈ 9e-14`);
 * - quadratic forms (`quadraticForms`): each `f_i = x_iᵀ A x_i` within
 *   `γ · Σ_jk |x_ij| |A_jk| |x_ik|`, `γ = 8 (2d + 2) u` (the product bound with `k = 2d`: a term
 *   passes through at most `d` additions of a product `X·A` and `d` of a row dot);
 * - decompositions (`eigh`, `svd`): residuals `‖AV − VD‖_F`, `‖A − USVᵀ‖_F` within
 *   `100 n u ‖A‖_F`, orthogonality `‖VᵀV − I‖_F` within `100 n u`, and values within
 *   `100 n u ‖A‖_F` of numpy's.
 *
 * @packageDocumentation
 */
import { describe, expect, it } from 'vitest';
import { loadFixture } from '@shallowscape/test-utils';
import type { LinalgBackend, Precision } from '../backend';
import { createRng, type Rng } from '../rng';
import { svdKernel } from '../decompositions/svd-kernel';

/** A matrix in a fixture: row-major data, with its shape (zero-size shapes survive JSON). */
interface FixtureMatrix {
  rows: number;
  cols: number;
  data: number[];
}

/** The numpy reference values of `kernels/fixtures/kernels.json`. */
export interface KernelFixtures {
  gemm: Array<{
    m: number; n: number; k: number; transA: boolean; transB: boolean; alpha: number; beta: number;
    a: FixtureMatrix; b: FixtureMatrix; c: FixtureMatrix; expected: FixtureMatrix;
  }>;
  syrk: Array<{ n: number; k: number; transpose: boolean; alpha: number; beta: number; a: FixtureMatrix; c: FixtureMatrix; expected: FixtureMatrix }>;
  weightedGram: Array<{ x: FixtureMatrix; w: number[]; expected: FixtureMatrix }>;
  gemv: Array<{ m: number; n: number; trans: boolean; alpha: number; beta: number; a: FixtureMatrix; x: number[]; y: number[]; expected: number[] }>;
  dot: Array<{ x: number[]; y: number[]; expected: number }>;
  nrm2: Array<{ x: number[]; expected: number }>;
  norms: Array<{ a: FixtureMatrix; one: number; inf: number; fro: number; trace: number | null }>;
  eigh: Array<{ a: FixtureMatrix; values: number[] }>;
  svd: Array<{ a: FixtureMatrix; s: number[] }>;
}

/** Loads the numpy kernel fixtures. */
export function loadKernelFixtures(): KernelFixtures {
  return loadFixture<KernelFixtures>(import.meta.url, '../kernels/fixtures/kernels.json');
}

/** Unit roundoff of a precision: `2⁻⁵³` (float64) or `2⁻²⁴` (float32). */
export function unitRoundoff(precision: Precision): number {
  return precision === 'float64' ? 2 ** -53 : 2 ** -24;
}

/** The componentwise product tolerance factor `γ = 8 (k + 2) u`. */
export function productTolerance(precision: Precision, k: number): number {
  return 8 * (k + 2) * unitRoundoff(precision);
}

function randomArray(rng: Rng, length: number): Float64Array {
  return rng.fillNormal(new Float64Array(length));
}

/**
 * Triple-loop reference of `C ← α op(A) op(B) + βC` and the error scale
 * `|α| (|op(A)||op(B)|)_ij + |β||C_ij|` of each entry (`β = 0` ignores `c`).
 */
export function referenceGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, b: Float64Array, beta: number, c: Float64Array,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let sa = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i]! : a[i * k + p]!;
        const y = transB ? b[j * k + p]! : b[p * n + j]!;
        s += x * y;
        sa += Math.abs(x * y);
      }
      const cij = beta === 0 ? 0 : c[i * n + j]!;
      value[i * n + j] = alpha * s + beta * cij;
      scale[i * n + j] = Math.abs(alpha) * sa + Math.abs(beta * cij);
    }
  }
  return { value, scale };
}

/**
 * Plain double loop of the quadratic forms $f_i = \sum_{j,k} x_{ij} A_{jk} x_{ik}$ over the full
 * `a` (`d × d`) for the rows of the `n × d` row-major `x`, and the error scale
 * $\sum_{j,k} |x_{ij}| |A_{jk}| |x_{ik}|$ of each.
 */
export function referenceQuadraticForms(n: number, d: number, x: Float64Array, a: Float64Array): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let sa = 0;
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) {
        const t = x[i * d + j]! * a[j * d + k]! * x[i * d + k]!;
        s += t;
        sa += Math.abs(t);
      }
    }
    value[i] = s;
    scale[i] = sa;
  }
  return { value, scale };
}

/** The componentwise tolerance factor of the quadratic forms of dimension `d`: `γ = 8 (2d + 2) u`. */
export function quadraticFormsTolerance(precision: Precision, d: number): number {
  return productTolerance(precision, 2 * d);
}

/** Asserts `|actual_i − expected_i| ≤ γ · scale_i` for all `i`, naming the worst entry. */
export function expectWithinScaled(
  actual: ArrayLike<number>, expected: ArrayLike<number>, scale: ArrayLike<number>, gamma: number, what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstRatio = 1;
  for (let t = 0; t < expected.length; t++) {
    const err = Math.abs(actual[t]! - expected[t]!);
    const bound = gamma * scale[t]!;
    if (!(err <= bound)) {
      const ratio = bound === 0 ? Infinity : err / bound;
      if (worst < 0 || ratio > worstRatio || Number.isNaN(err)) {
        worst = t;
        worstRatio = ratio;
      }
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}[${worst}] = ${actual[worst]} differs from ${expected[worst]} by ${Math.abs(actual[worst]! - expected[worst]!)} > γ·scale = ${gamma}·${scale[worst]}`,
    );
  }
}

function frobenius(x: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < x.length; t++) s += x[t]! * x[t]!;
  return Math.sqrt(s);
}

/** `‖XᵀX − I‖_F` for the `rows × cols` row-major `x`. */
function orthogonalityError(rows: number, cols: number, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < cols; j++) {
      let d = 0;
      for (let p = 0; p < rows; p++) d += x[p * cols + i]! * x[p * cols + j]!;
      const e = d - (i === j ? 1 : 0);
      s += e * e;
    }
  }
  return Math.sqrt(s);
}

function symmetricRandom(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng.normal();
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** Options of {@link describeBackendConformance}. */
export interface ConformanceOptions {
  /** Seed of the random inputs (default 20240611). */
  seed?: number;
}

/** The synchronous products that may also have an asynchronous slot. */
type ProductName = 'gemm' | 'syrk' | 'weightedGram';

/** A product kernel called through its synchronous or its asynchronous slot; always awaited. */
type ProductRun<K extends ProductName> = (...args: Parameters<NonNullable<LinalgBackend[K]>>) => Promise<void>;

/**
 * The ways `backend` offers the product `name`: its synchronous slot and its asynchronous one
 * (`gemmAsync`, …), each under its slot's name. The same tests run on each.
 */
function productVariants<K extends ProductName>(backend: LinalgBackend, name: K): Array<{ label: string; run: ProductRun<K> }> {
  const variants: Array<{ label: string; run: ProductRun<K> }> = [];
  const sync = backend[name] as ((...args: unknown[]) => void) | undefined;
  if (sync !== undefined) variants.push({ label: name, run: (async (...args: unknown[]) => sync.apply(backend, args)) as unknown as ProductRun<K> });
  const asyncName = `${name}Async` as const;
  const asynchronous = backend[asyncName] as ((...args: unknown[]) => Promise<void>) | undefined;
  if (asynchronous !== undefined) variants.push({ label: asyncName, run: ((...args: unknown[]) => asynchronous.apply(backend, args)) as unknown as ProductRun<K> });
  return variants;
}

/** `describe` once per variant of a product, or one skipped block when the backend has neither slot. */
function describeProduct<K extends ProductName>(backend: LinalgBackend, name: K, body: (run: ProductRun<K>) => void): void {
  const variants = productVariants(backend, name);
  if (variants.length === 0) describe.skip(name, () => undefined);
  for (const { label, run } of variants) describe(label, () => body(run));
}

/**
 * Registers the conformance tests of `backend` with vitest (`describe`/`it`): call it at the top
 * level of a test file. Tolerances follow `backend.precision` (see the module notes).
 *
 * Usage, in a test file such as `backends/reference.test.ts`:
 * `describeBackendConformance(referenceBackend);`
 *
 * @param backend - the backend under test.
 * @param options - `seed` of the random inputs.
 */
export function describeBackendConformance(backend: LinalgBackend, options: ConformanceOptions = {}): void {
  const seed = options.seed ?? 20240611;
  const u = unitRoundoff(backend.precision);
  const fixtures = loadKernelFixtures();

  describe(`backend conformance: ${backend.name} (${backend.precision})`, () => {
    it('declares a name, a precision and a description', () => {
      expect(typeof backend.name).toBe('string');
      expect(backend.name.length).toBeGreaterThan(0);
      expect(['float64', 'float32']).toContain(backend.precision);
      expect(typeof backend.description).toBe('string');
    });

    describeProduct(backend, 'gemm', (gemm) => {
      it('matches the numpy fixtures (all transposes, α/β, empty dimensions)', async () => {
        for (const f of fixtures.gemm) {
          const c = Float64Array.from(f.c.data);
          const a = Float64Array.from(f.a.data);
          const b = Float64Array.from(f.b.data);
          await gemm(f.transA, f.transB, f.m, f.n, f.k, f.alpha, a, b, f.beta, c);
          const { scale } = referenceGemm(f.transA, f.transB, f.m, f.n, f.k, f.alpha, a, b, f.beta, Float64Array.from(f.c.data));
          const what = `gemm ${f.m}×${f.n}×${f.k} transA=${f.transA} transB=${f.transB} α=${f.alpha} β=${f.beta}`;
          expectWithinScaled(c, f.expected.data, scale, productTolerance(backend.precision, f.k), what);
          expect(Array.from(a), `${what}: a unchanged`).toEqual(f.a.data);
          expect(Array.from(b), `${what}: b unchanged`).toEqual(f.b.data);
        }
      });

      const sizes: Array<[number, number, number]> = [
        [1, 1, 1], [3, 5, 7], [4, 4, 4], [17, 13, 9], [33, 31, 65], [64, 64, 64], [5, 70, 300], [130, 7, 3],
        [2, 9, 1], [0, 4, 3], [4, 0, 3], [4, 3, 0],
      ];
      const scalars: Array<[number, number]> = [[1, 0], [-0.75, 1.5], [2, 1], [0, -2]];
      for (const [m, n, k] of sizes) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            it(`agrees with the triple loop: ${m}×${n}×${k}, transA=${transA}, transB=${transB}`, async () => {
              const rng = createRng(seed + m * 10007 + n * 101 + k + (transA ? 1 : 0) * 7 + (transB ? 1 : 0) * 13);
              const a = randomArray(rng, m * k);
              const b = randomArray(rng, k * n);
              for (const [alpha, beta] of scalars) {
                const c0 = randomArray(rng, m * n);
                const c = beta === 0 ? new Float64Array(m * n).fill(Number.NaN) : c0.slice();
                await gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
                const ref = referenceGemm(transA, transB, m, n, k, alpha, a, b, beta, c0);
                expectWithinScaled(c, ref.value, ref.scale, productTolerance(backend.precision, k), `gemm α=${alpha} β=${beta}`);
              }
            });
          }
        }
      }
    });

    describeProduct(backend, 'syrk', (syrk) => {
      it('matches the numpy fixtures', async () => {
        for (const f of fixtures.syrk) {
          const a = Float64Array.from(f.a.data);
          const c = Float64Array.from(f.c.data);
          await syrk(f.transpose, f.n, f.k, f.alpha, a, f.beta, c);
          const ref = referenceGemm(f.transpose, !f.transpose, f.n, f.n, f.k, f.alpha, a, a, f.beta, Float64Array.from(f.c.data));
          expectWithinScaled(c, f.expected.data, ref.scale, productTolerance(backend.precision, f.k), `syrk n=${f.n} k=${f.k} transpose=${f.transpose}`);
        }
      });

      for (const [n, k] of [[1, 1], [5, 3], [4, 4], [13, 29], [37, 6], [70, 140], [6, 0], [0, 5]] as Array<[number, number]>) {
        for (const transpose of [false, true]) {
          it(`agrees with the triple loop and writes the full symmetric C: n=${n}, k=${k}, transpose=${transpose}`, async () => {
            const rng = createRng(seed + 31 * n + k + (transpose ? 5 : 0));
            const a = randomArray(rng, n * k);
            for (const [alpha, beta] of [[1, 0], [-0.5, 2], [0, 3]] as Array<[number, number]>) {
              const c0 = symmetricRandom(rng, n);
              const c = beta === 0 ? new Float64Array(n * n).fill(Number.NaN) : c0.slice();
              await syrk(transpose, n, k, alpha, a, beta, c);
              const ref = referenceGemm(transpose, !transpose, n, n, k, alpha, a, a, beta, c0);
              const gamma = productTolerance(backend.precision, k);
              expectWithinScaled(c, ref.value, ref.scale, gamma, `syrk α=${alpha} β=${beta}`);
              const mirrored = new Float64Array(n * n);
              for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mirrored[i * n + j] = c[j * n + i]!;
              expectWithinScaled(c, mirrored, ref.scale, 2 * gamma, `syrk symmetry α=${alpha} β=${beta}`);
            }
          });
        }
      }
    });

    describeProduct(backend, 'weightedGram', (weightedGram) => {
      it('matches the numpy fixtures (weights of both signs)', async () => {
        for (const f of fixtures.weightedGram) {
          const { rows, cols } = f.x;
          const x = Float64Array.from(f.x.data);
          const w = Float64Array.from(f.w);
          const c = new Float64Array(cols * cols).fill(Number.NaN);
          await weightedGram(rows, cols, x, w, c);
          const wx = x.slice();
          for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) wx[i * cols + j] = wx[i * cols + j]! * w[i]!;
          const ref = referenceGemm(true, false, cols, cols, rows, 1, x, wx, 0, c);
          expectWithinScaled(c, f.expected.data, ref.scale, productTolerance(backend.precision, rows), `weightedGram ${rows}×${cols}`);
        }
      });

      for (const [rows, cols] of [[1, 1], [9, 4], [300, 7], [1000, 33], [64, 64], [3, 10], [0, 4], [6, 0]] as Array<[number, number]>) {
        it(`agrees with the triple loop and overwrites C: N=${rows}, d=${cols}`, async () => {
          const rng = createRng(seed + 7 * rows + cols);
          const x = randomArray(rng, rows * cols);
          const w = randomArray(rng, rows);
          const c = new Float64Array(cols * cols).fill(Number.NaN);
          await weightedGram(rows, cols, x, w, c);
          const wx = x.slice();
          for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) wx[i * cols + j] = wx[i * cols + j]! * w[i]!;
          const ref = referenceGemm(true, false, cols, cols, rows, 1, x, wx, 0, c);
          expectWithinScaled(c, ref.value, ref.scale, productTolerance(backend.precision, rows), 'weightedGram');
        });
      }
    });

    describe.skipIf(backend.quadraticForms === undefined)('quadraticForms', () => {
      const quadraticForms = (...args: Parameters<NonNullable<LinalgBackend['quadraticForms']>>): void => backend.quadraticForms!.apply(backend, args);

      const shapes: Array<[number, number]> = [
        [1, 1], [1, 3], [5, 1], [7, 3], [2, 2], [33, 17], [300, 17], [257, 100], [513, 100], [1000, 33], [600, 64], [3000, 100], [40, 130],
        [0, 5], [4, 0], [0, 0],
      ];
      for (const [n, d] of shapes) {
        it(`agrees with the double loop, overwrites f, leaves x and A alone: n=${n}, d=${d}`, () => {
          const rng = createRng(seed + 4001 + 13 * n + d);
          const x = randomArray(rng, n * d);
          const a = symmetricRandom(rng, d);
          const x0 = x.slice();
          const a0 = a.slice();
          const f = new Float64Array(n).fill(Number.NaN);
          quadraticForms(n, d, x, a, f);
          const ref = referenceQuadraticForms(n, d, x, a);
          expectWithinScaled(f, ref.value, ref.scale, quadraticFormsTolerance(backend.precision, d), `quadraticForms n=${n} d=${d}`);
          expect(Array.from(x), 'x unchanged').toEqual(Array.from(x0));
          expect(Array.from(a), 'a unchanged').toEqual(Array.from(a0));
        });
      }

      it('reads only the upper triangle of A: NaN below the diagonal changes no bit', () => {
        for (const [n, d] of [[9, 5], [300, 17], [513, 100]] as Array<[number, number]>) {
          const rng = createRng(seed + 4500 + n + d);
          const x = randomArray(rng, n * d);
          const a = symmetricRandom(rng, d);
          const upper = a.slice();
          for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) upper[j * d + k] = Number.NaN;
          const f = new Float64Array(n);
          const g = new Float64Array(n);
          quadraticForms(n, d, x, a, f);
          quadraticForms(n, d, x, upper, g);
          expect(Array.from(g), `n=${n} d=${d}`).toEqual(Array.from(f));
        }
      });

      it('is exact on small integers, and writes only the first n entries of f', () => {
        // x_i = (1, 2, −1), A = [[2, 1, 0], [1, −3, 4], [0, 4, 5]]: x A x = 2 + 4 − 12 + 0 − 16 + 5 = −17.
        const a = Float64Array.of(2, 1, 0, 1, -3, 4, 0, 4, 5);
        const x = Float64Array.of(1, 2, -1, 0, 0, 1, 1, 0, 0);
        const f = new Float64Array(4).fill(7);
        quadraticForms(3, 3, x, a, f);
        expect(Array.from(f)).toEqual([-17, 5, 2, 7]);
        // Integer data in [−4, 4], d = 40: every partial sum is an integer below 2⁵³, so f is exact.
        const rng = createRng(seed + 4600);
        const n = 300;
        const d = 40;
        const xi = Float64Array.from({ length: n * d }, () => Math.round(8 * rng.uniform()) - 4);
        const ai = new Float64Array(d * d);
        for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) ai[j * d + k] = ai[k * d + j] = Math.round(8 * rng.uniform()) - 4;
        const fi = new Float64Array(n);
        quadraticForms(n, d, xi, ai, fi);
        expect(Array.from(fi)).toEqual(Array.from(referenceQuadraticForms(n, d, xi, ai).value));
      });
    });

    describe.skipIf(backend.gemv === undefined)('gemv', () => {
      const gemv = (...args: Parameters<NonNullable<LinalgBackend['gemv']>>): void => backend.gemv!.apply(backend, args);

      it('matches the numpy fixtures', () => {
        for (const f of fixtures.gemv) {
          const a = Float64Array.from(f.a.data);
          const x = Float64Array.from(f.x);
          const y = Float64Array.from(f.y);
          gemv(f.trans, f.m, f.n, f.alpha, a, x, f.beta, y);
          const mm = f.trans ? f.n : f.m;
          const k = f.trans ? f.m : f.n;
          const ref = referenceGemm(f.trans, false, mm, 1, k, f.alpha, a, x, f.beta, Float64Array.from(f.y));
          expectWithinScaled(y, f.expected, ref.scale, productTolerance(backend.precision, k), `gemv ${f.m}×${f.n} trans=${f.trans}`);
        }
      });

      for (const [m, n] of [[1, 1], [3, 5], [8, 8], [37, 19], [200, 3], [3, 200], [0, 4], [4, 0]] as Array<[number, number]>) {
        for (const trans of [false, true]) {
          it(`agrees with the triple loop: ${m}×${n}, trans=${trans}`, () => {
            const rng = createRng(seed + 3 * m + 17 * n + (trans ? 1 : 0));
            const a = randomArray(rng, m * n);
            const lenx = trans ? m : n;
            const leny = trans ? n : m;
            const x = randomArray(rng, lenx);
            for (const [alpha, beta] of [[1, 0], [-2, 0.5], [0, 2]] as Array<[number, number]>) {
              const y0 = randomArray(rng, leny);
              const y = beta === 0 ? new Float64Array(leny).fill(Number.NaN) : y0.slice();
              gemv(trans, m, n, alpha, a, x, beta, y);
              const ref = referenceGemm(trans, false, leny, 1, lenx, alpha, a, x, beta, y0);
              expectWithinScaled(y, ref.value, ref.scale, productTolerance(backend.precision, lenx), `gemv α=${alpha} β=${beta}`);
            }
          });
        }
      }
    });

    describe.skipIf(backend.dot === undefined)('dot', () => {
      const dot = (n: number, x: Float64Array, y: Float64Array): number => backend.dot!.call(backend, n, x, y);

      it('matches the numpy fixtures and the plain sum', () => {
        const rng = createRng(seed + 99);
        const cases: Array<{ x: Float64Array; y: Float64Array }> = fixtures.dot.map((f) => ({ x: Float64Array.from(f.x), y: Float64Array.from(f.y) }));
        for (const n of [2, 3, 5, 100, 1001]) cases.push({ x: randomArray(rng, n), y: randomArray(rng, n) });
        fixtures.dot.forEach((f, t) => {
          const { x, y } = cases[t]!;
          const ref = referenceGemm(false, false, 1, 1, x.length, 1, x, y, 0, new Float64Array(1));
          expectWithinScaled([dot(x.length, x, y)], [f.expected], ref.scale, productTolerance(backend.precision, x.length), `dot n=${x.length}`);
        });
        for (const { x, y } of cases) {
          const ref = referenceGemm(false, false, 1, 1, x.length, 1, x, y, 0, new Float64Array(1));
          expectWithinScaled([dot(x.length, x, y)], ref.value, ref.scale, productTolerance(backend.precision, x.length), `dot n=${x.length}`);
        }
      });

      it('uses only the first n entries', () => {
        const x = Float64Array.of(1, 2, 3, 1e6);
        const y = Float64Array.of(4, 5, 6, 1e6);
        expect(dot(3, x, y)).toBe(32);
        expect(dot(0, x, y)).toBe(0);
      });
    });

    describe.skipIf(backend.eigh === undefined)('eigh', () => {
      const eigh = (n: number, a: Float64Array, wantVectors: boolean) => backend.eigh!.call(backend, n, a, wantVectors);

      it('matches numpy eigvalsh on the fixtures', () => {
        for (const f of fixtures.eigh) {
          const n = f.a.rows;
          const { values } = eigh(n, Float64Array.from(f.a.data), false);
          const tol = 100 * Math.max(n, 1) * u * frobenius(f.a.data);
          expectWithinScaled(values, f.values, new Float64Array(n).fill(1), tol, `eigh values n=${n}`);
        }
      });

      for (const n of [1, 2, 3, 7, 16, 41]) {
        it(`AV = VD, VᵀV = I, ascending values, input untouched: n=${n}`, () => {
          const rng = createRng(seed + 1000 + n);
          const a = symmetricRandom(rng, n);
          const copy = a.slice();
          const { values, vectors } = eigh(n, a, true);
          expect(Array.from(a), 'input unchanged').toEqual(Array.from(copy));
          expect(values.length).toBe(n);
          expect(vectors).not.toBeNull();
          const v = vectors!;
          expect(v.length).toBe(n * n);
          for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
          const normA = frobenius(a);
          const residual = new Float64Array(n * n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let p = 0; p < n; p++) s += a[i * n + p]! * v[p * n + j]!;
              residual[i * n + j] = s - v[i * n + j]! * values[j]!;
            }
          }
          expect(frobenius(residual), '‖AV − VD‖_F').toBeLessThanOrEqual(100 * n * u * normA);
          expect(orthogonalityError(n, n, v), '‖VᵀV − I‖_F').toBeLessThanOrEqual(100 * n * u);
          const valuesOnly = eigh(n, a, false);
          expect(valuesOnly.vectors).toBeNull();
          expectWithinScaled(valuesOnly.values, values, new Float64Array(n).fill(1), 100 * n * u * normA, 'eigh values without vectors');
        });
      }

      it('returns the diagonal of a diagonal matrix in ascending order', () => {
        const n = 4;
        const a = new Float64Array(n * n);
        [3, -1, 2, 0].forEach((d, i) => (a[i * n + i] = d));
        const { values } = eigh(n, a, false);
        expectWithinScaled(values, [-1, 0, 2, 3], [1, 1, 1, 1], 10 * u * 3, 'eigh diagonal');
      });
    });

    describe.skipIf(backend.singularValues === undefined)('singularValues', () => {
      const values = (rows: number, cols: number, a: Float64Array) => backend.singularValues!.call(backend, rows, cols, a);

      it('matches numpy singular values on the fixtures', () => {
        for (const f of fixtures.svd) {
          const { rows, cols } = f.a;
          const s = values(rows, cols, Float64Array.from(f.a.data));
          expectWithinScaled(s, f.s, new Float64Array(Math.min(rows, cols)).fill(1), 100 * Math.max(rows, cols) * u * frobenius(f.a.data), `singularValues ${rows}×${cols}`);
        }
      });

      for (const [rows, cols] of [[1, 1], [1, 5], [5, 1], [6, 4], [4, 6], [40, 17], [17, 40], [300, 20], [400, 70], [70, 400]] as Array<[number, number]>) {
        it(`descending, ≥ 0, input untouched, the values of the reference svd: ${rows}×${cols}`, () => {
          const rng = createRng(seed + 3000 + 50 * rows + cols);
          const a = randomArray(rng, rows * cols);
          const copy = a.slice();
          const s = values(rows, cols, a);
          expect(Array.from(a), 'input unchanged').toEqual(Array.from(copy));
          expect(s.length).toBe(Math.min(rows, cols));
          for (let i = 0; i < s.length; i++) expect(s[i]!).toBeGreaterThanOrEqual(0);
          for (let i = 1; i < s.length; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
          const want = svdKernel(rows, cols, a).s;
          expectWithinScaled(s, want, new Float64Array(s.length).fill(1), 100 * Math.max(rows, cols) * u * frobenius(a), `singularValues ${rows}×${cols}`);
        });
      }
    });

    describe.skipIf(backend.svd === undefined)('svd', () => {
      const svd = (rows: number, cols: number, a: Float64Array) => backend.svd!.call(backend, rows, cols, a);

      it('matches numpy singular values on the fixtures', () => {
        for (const f of fixtures.svd) {
          const { rows, cols } = f.a;
          const { s } = svd(rows, cols, Float64Array.from(f.a.data));
          const k = Math.min(rows, cols);
          expectWithinScaled(s, f.s, new Float64Array(k).fill(1), 100 * Math.max(rows, cols) * u * frobenius(f.a.data), `svd ${rows}×${cols}`);
        }
      });

      for (const [rows, cols] of [[1, 1], [1, 5], [5, 1], [6, 4], [4, 6], [12, 12], [40, 17], [17, 40], [300, 70], [70, 300]] as Array<[number, number]>) {
        it(`USVᵀ = A, orthonormal U and V, descending s ≥ 0, input untouched: ${rows}×${cols}`, () => {
          const rng = createRng(seed + 2000 + 50 * rows + cols);
          const a = randomArray(rng, rows * cols);
          const copy = a.slice();
          const { s, u: uu, v } = svd(rows, cols, a);
          const k = Math.min(rows, cols);
          const n = Math.max(rows, cols);
          expect(Array.from(a), 'input unchanged').toEqual(Array.from(copy));
          expect(s.length).toBe(k);
          expect(uu.length).toBe(rows * k);
          expect(v.length).toBe(cols * k);
          for (let i = 0; i < k; i++) expect(s[i]!).toBeGreaterThanOrEqual(0);
          for (let i = 1; i < k; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
          const residual = new Float64Array(rows * cols);
          for (let i = 0; i < rows; i++) {
            for (let j = 0; j < cols; j++) {
              let t = 0;
              for (let p = 0; p < k; p++) t += uu[i * k + p]! * s[p]! * v[j * k + p]!;
              residual[i * cols + j] = a[i * cols + j]! - t;
            }
          }
          expect(frobenius(residual), '‖A − USVᵀ‖_F').toBeLessThanOrEqual(100 * n * u * frobenius(a));
          expect(orthogonalityError(rows, k, uu), '‖UᵀU − I‖_F').toBeLessThanOrEqual(100 * n * u);
          expect(orthogonalityError(cols, k, v), '‖VᵀV − I‖_F').toBeLessThanOrEqual(100 * n * u);
        });
      }
    });
  });
}
