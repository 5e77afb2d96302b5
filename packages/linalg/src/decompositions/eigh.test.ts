import { describe, expect, it } from 'vitest';
import { countdownSignal, expectClose, loadFixture } from '@shallowscape/test-utils';
import { eigh, eigvalsh } from './eigh';
import { eighKernel } from './eigh-kernel';
import { referenceBackend } from '../backends/reference';
import { Matrix } from '../matrix';
import { createRng, gaussianMatrix, randomSymmetric } from '../rng';
import { AbortedError, InvalidArgumentError, NonFiniteError, NotSymmetricError, ShapeError } from '../errors';

const EPS = Number.EPSILON;

interface EighCase {
  name: string;
  a: number[][];
  values: number[];
  vectors: number[][];
}
const fixture = loadFixture<{ generator: string; cases: EighCase[] }>(import.meta.url, 'fixtures/eigh.json');

/** ‖A‖_F, an upper bound on ‖A‖₂ computed independently of the solver. */
function frobenius(a: Matrix): number {
  let max = 0;
  for (const x of a.data) max = Math.max(max, Math.abs(x));
  if (max === 0) return 0;
  let s = 0;
  for (const x of a.data) s += (x / max) ** 2;
  return max * Math.sqrt(s);
}

/** max_j ‖A v_j − λ_j v_j‖₂ (a residual per eigenpair). */
function residual(a: Matrix, values: Float64Array, v: Matrix): number {
  const n = a.rows;
  let worst = 0;
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < n; i++) {
      let s = -values[j]! * v.data[i * n + j]!;
      for (let p = 0; p < n; p++) s += a.data[i * n + p]! * v.data[p * n + j]!;
      ss += s * s;
    }
    worst = Math.max(worst, Math.sqrt(ss));
  }
  return worst;
}

/** max |VᵀV − I|. */
function orthogonalityError(v: Matrix): number {
  const n = v.cols;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let p = 0; p < v.rows; p++) s += v.data[p * n + i]! * v.data[p * n + j]!;
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/** Checks AV = VΛ and VᵀV = I with tolerances c·n·ε·‖A‖_F and c·n·ε (c = 4). */
function expectEigenInvariants(a: Matrix, values: Float64Array, v: Matrix, what: string): void {
  const n = a.rows;
  expect(v.rows, what).toBe(n);
  expect(v.cols, what).toBe(n);
  // Residuals are formed for 2^−s·A (exact scaling) so that huge or tiny matrices neither
  // overflow nor underflow in the check itself.
  const max = a.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const s = max === 0 ? 1 : 2 ** -Math.round(Math.log2(max));
  const as = Matrix.fromRowMajor(n, n, a.data.map((x) => x * s));
  const r = residual(as, values.map((x) => x * s), v);
  expect(r, `${what}: max_j ‖Av_j − λ_j v_j‖ ≤ 4nε‖A‖_F`).toBeLessThanOrEqual(4 * n * EPS * frobenius(as));
  expect(orthogonalityError(v), `${what}: max|VᵀV − I| ≤ 4nε`).toBeLessThanOrEqual(4 * n * EPS);
  for (let i = 1; i < n; i++) expect(values[i]!, `${what}: ascending`).toBeGreaterThanOrEqual(values[i - 1]!);
}

describe('eigh against numpy.linalg.eigh (fixtures/gen_eigh.py)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const a = Matrix.from(c.a);
      const n = a.rows;
      const norm2 = Math.max(0, ...c.values.map(Math.abs)); // ‖A‖₂ from the reference spectrum
      // Both solvers are backward stable: |λ − λ_ref| ≤ 4·n·ε·‖A‖₂ (Weyl).
      const tol = { abs: 4 * Math.max(n, 1) * EPS * norm2 };
      const { values, vectors } = eigh(a);
      expectClose(values, c.values, tol, `${c.name}: eigenvalues`);
      expectClose(eigvalsh(a), c.values, tol, `${c.name}: eigvalsh`);
      expectEigenInvariants(a, values, vectors, c.name);

      // Eigenvectors are compared without sign: for a simple eigenvalue with relative gap g,
      // 1 − |vᵀv_ref| ≤ (16·n·ε·‖A‖₂/gap)² + 4·n·ε (sin θ theorem, both solvers). For clusters,
      // the orthogonal projectors onto the eigenspace must agree instead.
      const ref = Matrix.from(c.vectors);
      const clusters = clustersOf(c.values, 1e-8 * norm2);
      for (const [start, end] of clusters) {
        if (end - start === 1) {
          const j = start;
          const gap = Math.min(
            j > 0 ? c.values[j]! - c.values[j - 1]! : Infinity,
            j < n - 1 ? c.values[j + 1]! - c.values[j]! : Infinity,
          );
          if (gap === Infinity) continue; // n = 1: the vector is ±1, checked by the invariants
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors.data[i * n + j]! * ref.data[i * n + j]!;
          const sinBound = (16 * n * EPS * norm2) / gap;
          expect(1 - Math.abs(dot), `${c.name}: |v_${j}ᵀ v_ref| ≈ 1`).toBeLessThanOrEqual(sinBound * sinBound + 4 * n * EPS);
        } else {
          // Projectors onto the cluster's eigenspace: ‖P − P_ref‖_max ≤ 64·n·ε·‖A‖₂/gap + 8·n·ε.
          const gap = Math.min(
            start > 0 ? c.values[start]! - c.values[start - 1]! : Infinity,
            end < n ? c.values[end]! - c.values[end - 1]! : Infinity,
          );
          const bound = gap === Infinity ? 8 * n * EPS : (64 * n * EPS * norm2) / gap + 8 * n * EPS;
          const p = projector(vectors, start, end);
          const pRef = projector(ref, start, end);
          expectClose(p.data, pRef.data, { abs: bound }, `${c.name}: eigenspace projector [${start}, ${end})`);
        }
      }
    });
  }
});

/** Index ranges [start, end) of eigenvalues closer than `tol` to their neighbours. */
function clustersOf(values: number[], tol: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || values[i]! - values[i - 1]! > tol) {
      out.push([start, i]);
      start = i;
    }
  }
  return out;
}

/** V[:, start:end] V[:, start:end]ᵀ. */
function projector(v: Matrix, start: number, end: number): Matrix {
  const n = v.rows;
  const p = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = start; q < end; q++) s += v.data[i * v.cols + q]! * v.data[j * v.cols + q]!;
      p.data[i * n + j] = s;
    }
  }
  return p;
}

describe('eigh invariants on seeded random symmetric matrices', () => {
  it('sizes 1..150: AV = VΛ, VᵀV = I, ascending, values-only agrees', () => {
    const rng = createRng(2024);
    for (let n = 1; n <= 150; n++) {
      const a = randomSymmetric(n, rng);
      const { values, vectors } = eigh(a);
      expectEigenInvariants(a, values, vectors, `n = ${n}`);
      // Values-only (implicit QL) and with vectors (divide and conquer) are different
      // algorithms after the same reduction: they agree to 4·n·ε·‖A‖_F.
      expectClose(eigh(a, { vectors: false }).values, values, { abs: 4 * n * EPS * frobenius(a) }, `n = ${n}: values-only`);
      // Trace is preserved: Σλ = tr A to n·ε·‖A‖_F·√n.
      let trace = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        trace += a.data[i * n + i]!;
        sum += values[i]!;
      }
      expectClose(sum, trace, { abs: 4 * n * Math.sqrt(n) * EPS * frobenius(a) }, `n = ${n}: trace`);
    }
  });

  it('n = 300 (several divide-and-conquer levels)', () => {
    const a = randomSymmetric(300, createRng(300));
    const { values, vectors } = eigh(a);
    expectEigenInvariants(a, values, vectors, 'n = 300');
    expectClose(eigvalsh(a), values, { abs: 4 * 300 * EPS * frobenius(a) }, 'n = 300: values-only');
  });

  it('Gram matrices XᵀX are PSD to round-off and rank-deficient ones have zero eigenvalues', () => {
    const rng = createRng(7);
    const x = gaussianMatrix(5, 60, rng); // rank 5 of 60
    const n = 60;
    const a = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < 5; p++) s += x.data[p * n + i]! * x.data[p * n + j]!;
        a.data[i * n + j] = s;
      }
    }
    const { values, vectors } = eigh(a);
    expectEigenInvariants(a, values, vectors, 'Gram');
    const tol = 4 * n * EPS * frobenius(a);
    for (let i = 0; i < n - 5; i++) expect(Math.abs(values[i]!)).toBeLessThanOrEqual(tol);
    for (let i = n - 5; i < n; i++) expect(values[i]!).toBeGreaterThan(1);
  });
});

describe('eigh on structured matrices (deflation, splitting, scaling)', () => {
  const cases: Array<[string, Matrix]> = [
    ['identity 80', Matrix.identity(80)],
    ['zero 40', Matrix.zeros(40, 40)],
    ['all ones 70 (rank one)', Matrix.fromRowMajor(70, 70, new Float64Array(70 * 70).fill(1))],
    ['diagonal 90, shuffled entries', Matrix.diagonal(Array.from({ length: 90 }, (_, i) => ((i * 37) % 90) - 45))],
    ['Wilkinson W⁺ 61 (pairs closer than 1e-13)', wilkinson(61)],
    ['glued Wilkinson, 5 × 21 with 1e-10 glue', gluedWilkinson(5, 21, 1e-10)],
    ['1-2-1 Laplacian 100 (known spectrum)', laplacian(100)],
    ['block diagonal 2 × 40 (splits)', blockDiagonal(randomSymmetric(40, createRng(1)), randomSymmetric(40, createRng(2)))],
    ['huge entries (× 2^900)', scaled(randomSymmetric(50, createRng(3)), 2 ** 900)],
    ['tiny entries (× 2^-900)', scaled(randomSymmetric(50, createRng(4)), 2 ** -900)],
    ['graded 1e±8', graded(60)],
  ];
  for (const [name, a] of cases) {
    it(name, () => {
      const { values, vectors } = eigh(a);
      expectEigenInvariants(a, values, vectors, name);
      expectClose(eigvalsh(a), values, { abs: 4 * a.rows * EPS * frobenius(a) }, `${name}: values-only`);
    });
  }

  it('1-2-1 Laplacian matches its closed-form spectrum 2 − 2cos(kπ/(n+1))', () => {
    const n = 100;
    const values = eigvalsh(laplacian(n));
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(values, exact, { abs: 4 * n * EPS * 4 }, 'Laplacian eigenvalues');
  });

  it('identity and all-ones have exact spectra', () => {
    expect(Array.from(eigvalsh(Matrix.identity(80)))).toEqual(new Array(80).fill(1));
    const ones = eigvalsh(Matrix.fromRowMajor(70, 70, new Float64Array(70 * 70).fill(1)));
    expectClose(ones.subarray(0, 69), new Float64Array(69), { abs: 4 * 70 * EPS * 70 }, 'all-ones null space');
    expectClose(ones[69]!, 70, { abs: 4 * 70 * EPS * 70 }, 'all-ones top eigenvalue');
  });
});

describe('eigh API', () => {
  it('0×0 and 1×1', () => {
    const empty = eigh(Matrix.zeros(0, 0));
    expect(empty.values.length).toBe(0);
    expect(empty.vectors.rows).toBe(0);
    const one = eigh(Matrix.from([[-3.5]]));
    expect(Array.from(one.values)).toEqual([-3.5]);
    expect(one.vectors.toArray()).toEqual([[1]]);
    expect(Array.from(eigvalsh(Matrix.zeros(0, 0)))).toEqual([]);
  });

  it('vectors defaults to true; { vectors: false } omits them', () => {
    const a = Matrix.from([
      [2, 1],
      [1, 2],
    ]);
    expect(eigh(a).vectors).toBeInstanceOf(Matrix);
    expect(eigh(a, {}).vectors).toBeInstanceOf(Matrix);
    expect(eigh(a, { vectors: true }).vectors).toBeInstanceOf(Matrix);
    const valuesOnly = eigh(a, { vectors: false });
    expect(valuesOnly.vectors).toBeUndefined();
    expect(Array.from(valuesOnly.values)).toEqual([1, 3]);
  });

  it('TSDoc examples', () => {
    const { values, vectors } = eigh(
      Matrix.from([
        [2, 0],
        [0, 1],
      ]),
    );
    expect(Array.from(values)).toEqual([1, 2]);
    expect(vectors.toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(Array.from(eigh(Matrix.from([[2, 1], [1, 2]])).values)).toEqual([1, 3]);
    expect(
      Array.from(
        eigvalsh(
          Matrix.from([
            [4, 0],
            [0, -1],
          ]),
        ),
      ),
    ).toEqual([-1, 4]);
    expect(Array.from(eighKernel(2, new Float64Array([2, 1, 1, 2]), false).values)).toEqual([1, 3]);
  });

  it('does not modify its input; the kernel returns row-major eigenvector columns', () => {
    const a = randomSymmetric(40, createRng(11));
    const copy = a.data.slice();
    const raw = eighKernel(40, a.data, true);
    expect(a.data).toEqual(copy);
    const { values, vectors } = eigh(a, { backend: referenceBackend });
    expect(raw.values).toEqual(values);
    expect(raw.vectors).toEqual(vectors.data);
    expect(eighKernel(40, a.data, false).vectors).toBeNull();
    expect(a.data).toEqual(copy);
  });

  it('reads only the lower triangle when the asymmetry is within tolerance', () => {
    const a = randomSymmetric(30, createRng(12));
    const b = a.clone();
    b.data[1] = b.data[1]! + 1e-3; // a[0][1] perturbed, a[1][0] unchanged
    expect(Array.from(eigh(b, { symmetryTolerance: 1e-2 }).values)).toEqual(Array.from(eigh(a).values));
  });

  it('throws typed errors naming the argument and the value', () => {
    expect(() => eigh(Matrix.zeros(2, 3))).toThrow(ShapeError);
    expect(() => eigh(Matrix.zeros(2, 3))).toThrow(/a must be square, got 2×3/);
    const asym = Matrix.from([
      [1, 2, 0],
      [2, 1, 5],
      [0, 4, 1],
    ]);
    expect(() => eigh(asym)).toThrow(NotSymmetricError);
    expect(() => eigh(asym)).toThrow(/a is not symmetric: \|a\[1\]\[2\] - a\[2\]\[1\]\| = 1\.000e\+0/);
    expect(() => eigvalsh(asym)).toThrow(NotSymmetricError);
    expect(eigh(asym, { symmetryTolerance: 1 }).values.length).toBe(3);
    const nan = Matrix.from([
      [1, NaN],
      [NaN, 1],
    ]);
    expect(() => eigh(nan)).toThrow(NonFiniteError);
    expect(() => eigh(nan)).toThrow(/a has a non-finite entry NaN at \[0\]\[1\]/);
    expect(() => eigh(Matrix.from([[Infinity]]))).toThrow(NonFiniteError);
    expect(() => eigh([[1]] as unknown as Matrix)).toThrow(InvalidArgumentError);
    expect(() => eigh(Matrix.identity(2), { vectors: 'yes' as unknown as boolean })).toThrow(/options\.vectors/);
    expect(() => eigh(Matrix.identity(2), { symmetryTolerance: -1 })).toThrow(InvalidArgumentError);
    expect(() => eigh(Matrix.identity(2), { symmetryTolerance: NaN })).toThrow(/options\.symmetryTolerance/);
    expect(() => eigh(Matrix.identity(2), null as unknown as object)).toThrow(InvalidArgumentError);
  });
});

function wilkinson(n: number): Matrix {
  const m = (n - 1) / 2;
  const a = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    a.data[i * n + i] = Math.abs(m - i);
    if (i + 1 < n) {
      a.data[i * n + i + 1] = 1;
      a.data[(i + 1) * n + i] = 1;
    }
  }
  return a;
}

function gluedWilkinson(blocks: number, size: number, glue: number): Matrix {
  const n = blocks * size;
  const a = new Matrix(n, n);
  const w = wilkinson(size);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) a.data[(b * size + i) * n + b * size + j] = w.data[i * size + j]!;
    if (b + 1 < blocks) {
      const i = b * size + size - 1;
      a.data[i * n + i + 1] = glue;
      a.data[(i + 1) * n + i] = glue;
    }
  }
  return a;
}

function laplacian(n: number): Matrix {
  const a = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    a.data[i * n + i] = 2;
    if (i + 1 < n) {
      a.data[i * n + i + 1] = -1;
      a.data[(i + 1) * n + i] = -1;
    }
  }
  return a;
}

function blockDiagonal(x: Matrix, y: Matrix): Matrix {
  const n = x.rows + y.rows;
  const a = new Matrix(n, n);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.rows; j++) a.data[i * n + j] = x.data[i * x.rows + j]!;
  for (let i = 0; i < y.rows; i++) {
    for (let j = 0; j < y.rows; j++) a.data[(x.rows + i) * n + x.rows + j] = y.data[i * y.rows + j]!;
  }
  return a;
}

function scaled(x: Matrix, s: number): Matrix {
  return Matrix.fromRowMajor(x.rows, x.cols, x.data.map((v) => v * s));
}

/** D A D with D = diag(10^(−8 + 16 i/(n−1))): entries spanning 1e-16..1e16. */
function graded(n: number): Matrix {
  const a = randomSymmetric(n, createRng(5));
  const d = Array.from({ length: n }, (_, i) => 10 ** (-8 + (16 * i) / (n - 1)));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = a.data[i * n + j]! * d[i]! * d[j]!;
  return a;
}

describe('eigh with an abort signal', () => {
  const a = randomSymmetric(60, createRng(21));

  it('gives the same bits as without a signal while it is not aborted', () => {
    const plain = eigh(a);
    const withSignal = eigh(a, { signal: new AbortController().signal });
    expect(withSignal.values).toEqual(plain.values);
    expect(withSignal.vectors.data).toEqual(plain.vectors.data);
    expect(eigvalsh(a, { signal: new AbortController().signal })).toEqual(eigvalsh(a));
  });

  it('stops inside the reduction (polled once per column on the reference backend) with AbortedError', () => {
    const backend = referenceBackend;
    const { signal, polls } = countdownSignal(10);
    expect(() => eigh(a, { signal, backend, vectors: false })).toThrow(AbortedError);
    expect(polls()).toBe(11);
    const vectors = countdownSignal(59 + 1);
    // The reduction polls 59 times (n − 1 columns); the back transformation polls again and stops.
    expect(() => eigh(a, { signal: vectors.signal, backend })).toThrow(AbortedError);
    expect(vectors.polls()).toBeGreaterThan(60);
  });

  it('rejects a signal that is not an AbortSignal', () => {
    expect(() => eigh(a, { signal: {} as AbortSignal })).toThrow(/options\.signal/);
  });
});
