import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Matrix, createRng } from '@shallowscape/linalg';
import { expectClose, expectMatrixClose, loadFixture } from '@shallowscape/test-utils';
import { readMatrixFile, writeMatrixFile, writeVectorFile } from '../io/matrix-file';
import { readNpy, writeNpy } from '../io/npy';
import { main } from '../main';
import { captureIo } from '../testing/captured-io';
import type { EvalResult } from './eval';
import { referencePopulationRisk, referenceRiskAndGradients } from '../testing/two-layer-reference';

interface Reference extends EvalResult {
  populationRisk: number;
  gradient: number[][];
}
const expected = loadFixture<Record<'quadratic' | 'signed' | 'balancedSigns' | 'quadraticFloat32Inputs', Reference>>(
  import.meta.url,
  'fixtures/eval-expected.json',
);
const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const W = fixture('eval-W.npy');
const X = fixture('eval-X.npy');
const Y = fixture('eval-y.npy');
const T = fixture('eval-teacher.npy');
const V = fixture('eval-signs.npy');

// The library evaluates through A = WᵀW and Xᵀdiag(e)X, the reference sample by sample: both are
// float64 sums of a dozen terms of size ≲ 1e3, so 1e-12 relative is ample and still fails on any
// missing factor or sign.
const TOL = { rel: 1e-12 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shallowscape-eval-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function evalJson(args: string[]): Promise<EvalResult> {
  const io = captureIo();
  const code = await main(['eval', ...args, '--json'], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out()) as EvalResult;
}

async function evalError(args: string[]): Promise<string> {
  const io = captureIo();
  const code = await main(['eval', ...args], io);
  expect(code).toBe(2);
  expect(io.out()).toBe('');
  const err = io.err();
  expect(err.endsWith('\n')).toBe(true);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\bat .*\.ts:\d+/);
  expect(err.startsWith('shallowscape: error: ')).toBe(true);
  return err.slice('shallowscape: error: '.length).trimEnd();
}

describe('eval --json against the numpy reference (fixtures/gen_eval_fixtures.py)', () => {
  it('prints exactly empiricalRisk, gradientNorm, populationRisk for a quadratic network', async () => {
    const result = await evalJson(['--weights', W, '--data', X, '--labels', Y, '--teacher', T]);
    expect(Object.keys(result)).toEqual(['empiricalRisk', 'gradientNorm', 'populationRisk']);
    expectClose(result.empiricalRisk, expected.quadratic.empiricalRisk, TOL, 'empiricalRisk');
    expectClose(result.gradientNorm, expected.quadratic.gradientNorm, TOL, 'gradientNorm');
    expectClose(result.populationRisk!, expected.quadratic.populationRisk, TOL, 'populationRisk');
  });

  it('accepts an all-zero teacher (the population risk is then 2‖Q‖² + (tr Q)²)', async () => {
    const zero = join(dir, 'T0.npy');
    await writeNpy(zero, new Float64Array(6), [2, 3]);
    const result = await evalJson(['--weights', W, '--data', X, '--labels', Y, '--teacher', zero]);
    const w = readNpy(W);
    const a = Array.from({ length: 9 }, (_, kl) => {
      let s = 0;
      for (let j = 0; j < 4; j++) s += w.data[j * 3 + Math.floor(kl / 3)]! * w.data[j * 3 + (kl % 3)]!;
      return s;
    });
    const reference = 2 * a.reduce((s, v) => s + v * v, 0) + (a[0]! + a[4]! + a[8]!) ** 2;
    expectClose(result.populationRisk!, reference, TOL);
  });

  it('prints populationRisk null without a teacher', async () => {
    const result = await evalJson(['--weights', W, '--data', X, '--labels', Y]);
    expect(result.populationRisk).toBeNull();
    expectClose(result.empiricalRisk, expected.quadratic.empiricalRisk, TOL);
  });

  it('uses the given output signs for a signed network, and balanced signs by default', async () => {
    const signed = await evalJson(['--model', 'signed-quadratic', '--weights', W, '--data', X, '--labels', Y, '--teacher', T, '--output-signs', V]);
    expectClose(signed.empiricalRisk, expected.signed.empiricalRisk, TOL);
    expectClose(signed.gradientNorm, expected.signed.gradientNorm, TOL);
    expectClose(signed.populationRisk!, expected.signed.populationRisk, TOL);
    const balanced = await evalJson(['--model', 'signed-quadratic', '--weights', W, '--data', X, '--labels', Y, '--teacher', T]);
    expectClose(balanced.empiricalRisk, expected.balancedSigns.empiricalRisk, TOL);
    expectClose(balanced.populationRisk!, expected.balancedSigns.populationRisk, TOL);
  });

  it('reads float32 Fortran-order inputs as the same numbers widened', async () => {
    const result = await evalJson(['--weights', W, '--data', fixture('eval-X-f4-fortran.npy'), '--labels', Y]);
    expectClose(result.empiricalRisk, expected.quadraticFloat32Inputs.empiricalRisk, TOL);
    expectClose(result.gradientNorm, expected.quadraticFloat32Inputs.gradientNorm, TOL);
  });

  it('gives the same numbers from .csv and .json copies of the files', async () => {
    const csvW = join(dir, 'W.csv');
    const jsonX = join(dir, 'X.json');
    await writeMatrixFile(csvW, readMatrixFile(W));
    await writeMatrixFile(jsonX, readMatrixFile(X));
    await writeVectorFile(join(dir, 'y.csv'), readNpy(Y).data);
    const result = await evalJson(['--weights', csvW, '--data', jsonX, '--labels', join(dir, 'y.csv')]);
    expectClose(result.empiricalRisk, expected.quadratic.empiricalRisk, TOL);
  });

  it('--grad-out writes the m×d gradient (atomically, no temporary left)', async () => {
    for (const [model, key, extra] of [
      ['quadratic', 'quadratic', []],
      ['signed-quadratic', 'signed', ['--output-signs', V]],
    ] as const) {
      const out = join(dir, `G-${model}.npy`);
      await evalJson(['--model', model, '--weights', W, '--data', X, '--labels', Y, '--grad-out', out, ...extra]);
      const g = readNpy(out);
      expect(g.shape).toEqual([4, 3]);
      expectMatrixClose(new Matrix(4, 3, g.data), Matrix.from(expected[key].gradient), { rel: 1e-12, abs: 1e-12 }, `${model} gradient`);
    }
    expect((await readdir(dir)).sort()).toEqual(['G-quadratic.npy', 'G-signed-quadratic.npy']);
  });

  it('prints a readable table without --json', async () => {
    const io = captureIo();
    expect(await main(['eval', '--weights', W, '--data', X, '--labels', Y], io)).toBe(0);
    const out = io.out();
    expect(out).toMatch(/^model: quadratic$/m);
    expect(out).toMatch(new RegExp(`^  empirical risk +${String(Number(expected.quadratic.empiricalRisk.toPrecision(7))).replace('.', '\\.')}  \\(1/N\\) Σ .*N = 12$`, 'm'));
    expect(out).toMatch(/^ {2}population risk +— {2}needs --teacher$/m);
  });
});

describe('eval rejects bad input with one line, exit 2, and writes nothing', () => {
  async function npy(name: string, rows: number, cols: number, fill = 1): Promise<string> {
    const path = join(dir, name);
    await writeNpy(path, new Float64Array(rows * cols).fill(fill), [rows, cols]);
    return path;
  }

  it('weights and data with different d, naming both files and shapes', async () => {
    const x5 = await npy('X5.npy', 12, 5);
    const g = join(dir, 'G.npy');
    const message = await evalError(['--weights', W, '--data', x5, '--labels', Y, '--grad-out', g]);
    expect(message).toBe(`--weights ${JSON.stringify(W)} is 4×3 (d = 3) but --data ${JSON.stringify(x5)} is 12×5 (d = 5): both need d columns`);
    expect(await readdir(dir)).toEqual(['X5.npy']);
  });

  it('labels of the wrong length', async () => {
    const y = await npy('y.npy', 11, 1);
    expect(await evalError(['--weights', W, '--data', X, '--labels', y])).toBe(
      `--labels ${JSON.stringify(y)} has 11 entries, but --data ${JSON.stringify(X)} is 12×3 (N = 12): one label per sample`,
    );
  });

  it('N = 0', async () => {
    const x0 = await npy('X0.npy', 0, 3);
    const y0 = join(dir, 'y0.npy');
    await writeNpy(y0, new Float64Array(0), [0]);
    expect(await evalError(['--weights', W, '--data', x0, '--labels', y0])).toBe(
      `--data ${JSON.stringify(x0)} is 0×3: no samples (N = 0); the empirical risk needs at least one`,
    );
  });

  it('a teacher with another d, signs of the wrong length or not ±1, signs with --model quadratic', async () => {
    const t = await npy('T.npy', 3, 4);
    expect(await evalError(['--weights', W, '--data', X, '--labels', Y, '--teacher', t])).toContain(`--teacher ${JSON.stringify(t)} is 3×4 (d = 4) but --weights`);
    const v3 = join(dir, 'v3.npy');
    await writeNpy(v3, new Float64Array([1, -1, 1]), [3]);
    expect(await evalError(['--model', 'signed-quadratic', '--weights', W, '--data', X, '--labels', Y, '--output-signs', v3])).toBe(
      `--output-signs ${JSON.stringify(v3)} has 3 entries, but --weights ${JSON.stringify(W)} is 4×3 (m = 4): one sign per hidden unit`,
    );
    const vBad = join(dir, 'vbad.npy');
    await writeNpy(vBad, new Float64Array([1, -1, 0.5, 1]), [4]);
    expect(await evalError(['--model', 'signed-quadratic', '--weights', W, '--data', X, '--labels', Y, '--output-signs', vBad])).toBe(
      `--output-signs ${JSON.stringify(vBad)}: entry [2] is 0.5, but output signs must be +1 or -1`,
    );
    expect(await evalError(['--weights', W, '--data', X, '--labels', Y, '--output-signs', V])).toBe(
      "--output-signs applies only to --model signed-quadratic (got --model quadratic); see 'shallowscape eval --help'",
    );
  });

  it('NaN in a file, a truncated or integer .npy, a missing file, a missing flag, an unknown flag', async () => {
    const ioFixture = (name: string): string => fileURLToPath(new URL(`../io/fixtures/${name}`, import.meta.url));
    expect(await evalError(['--weights', W, '--data', ioFixture('nan-at-1-2.npy'), '--labels', Y])).toBe(
      `--data ${JSON.stringify(ioFixture('nan-at-1-2.npy'))}: non-finite entry NaN at [1, 2]`,
    );
    expect(await evalError(['--weights', ioFixture('bad-truncated.npy'), '--data', X, '--labels', Y])).toMatch(/^--weights ".*bad-truncated\.npy": truncated data: /);
    expect(await evalError(['--weights', ioFixture('bad-int64.npy'), '--data', X, '--labels', Y])).toMatch(/^--weights ".*bad-int64\.npy": unsupported 64-bit signed integer dtype '<i8'/);
    expect(await evalError(['--weights', join(dir, 'none.npy'), '--data', X, '--labels', Y])).toMatch(/^cannot read ".*none\.npy": no such file or directory \(ENOENT\)$/);
    expect(await evalError(['--data', X, '--labels', Y])).toBe("missing required flag --weights <file>; see 'shallowscape eval --help'");
    expect(await evalError(['--weights', W, '--data', X, '--labels', Y, '--weight', W])).toBe(
      "unknown flag --weight for 'shallowscape eval' (did you mean --weights?); see 'shallowscape eval --help'",
    );
    expect(await evalError(['--weights', W, '--data', X, '--labels', Y, '--grad-out', join(dir, 'G.txt')])).toMatch(/^--grad-out ".*G\.txt": unknown matrix file extension ".txt"/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('eval --model two-layer against direct loops (two-layer-reference.ts)', () => {
  // A 5×3 student, a 2×3 teacher, 7 samples, deterministic entries of size ≲ 1.
  const m = 5;
  const d = 3;
  const n = 7;
  const rows = (r: number, c: number, f: (k: number) => number): number[][] => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, k) => f(i * c + k)));
  const student = { w: rows(m, d, (k) => 0.7 * Math.sin(1.3 * k + 0.4)), a: Array.from({ length: m }, (_, r) => Math.cos(2.1 * r + 0.3)) };
  const teacher = { w: rows(2, d, (k) => 0.9 * Math.cos(0.7 * k + 1)), a: [1.2, -0.6] };
  const xs = rows(n, d, (k) => Math.sin(0.37 * k * k + 0.5) * 1.5);
  const ys = Array.from({ length: n }, (_, i) => Math.cos(1.7 * i));
  // Plain loops and the library differ only in summation order (sums of ≲ 20 terms of size ≲ 10).
  const LOOP = { rel: 1e-12, abs: 1e-15 };

  let files: Record<'W' | 'a' | 'X' | 'y' | 'Ws' | 'as', string>;
  beforeEach(async () => {
    const save = async (name: string, data: number[][] | number[]): Promise<string> => {
      const path = join(dir, `${name}.npy`);
      const flat = (data as (number | number[])[]).flat();
      await writeNpy(path, flat, Array.isArray(data[0]) ? [data.length, (data[0] as number[]).length] : [data.length]);
      return path;
    };
    files = {
      W: await save('W', student.w),
      a: await save('a', student.a),
      X: await save('X', xs),
      y: await save('y', ys),
      Ws: await save('Wstar', teacher.w),
      as: await save('astar', teacher.a),
    };
  });
  const base = (): string[] => ['--model', 'two-layer', '--weights', files.W, '--output-weights', files.a, '--data', files.X, '--labels', files.y];
  const withTeacher = (): string[] => [...base(), '--teacher', files.Ws, '--teacher-output-weights', files.as];

  it('prints exactly the three contract keys; every activation and parameterisation matches the loops', async () => {
    for (const activation of ['relu', 'quadratic', 'tanh', 'erf', 'softplus', 'sigmoid'] as const) {
      for (const parameterization of ['ntk', 'mean-field', 'standard'] as const) {
        const label = `${activation} ${parameterization}`;
        const result = await evalJson([...base(), '--activation', activation, '--parameterization', parameterization]);
        expect(Object.keys(result), label).toEqual(['empiricalRisk', 'gradientNorm', 'populationRisk']);
        const reference = referenceRiskAndGradients({ ...student, activation, parameterization }, xs, ys);
        expectClose(result.empiricalRisk, reference.risk, LOOP, `${label} empiricalRisk`);
        const gradientNorm = Math.sqrt(reference.gw.flat().reduce((s, v) => s + v * v, 0) + reference.ga.reduce((s, v) => s + v * v, 0));
        expectClose(result.gradientNorm, gradientNorm, LOOP, `${label} gradientNorm`);
        expect(result.populationRisk, label).toBeNull();
      }
    }
  });

  it('defaults to relu and ntk; --grad-out and --output-grad-out write ∇_W (m×d) and ∇_a (m)', async () => {
    const g = join(dir, 'G.npy');
    const ga = join(dir, 'g.csv');
    const result = await evalJson([...base(), '--grad-out', g, '--output-grad-out', ga]);
    const reference = referenceRiskAndGradients({ ...student, activation: 'relu', parameterization: 'ntk' }, xs, ys);
    expectClose(result.empiricalRisk, reference.risk, LOOP);
    const gw = readNpy(g);
    expect(gw.shape).toEqual([m, d]);
    expectMatrixClose(new Matrix(m, d, gw.data), Matrix.from(reference.gw), LOOP, '∇_W');
    const gaRead = readMatrixFile(ga);
    expect([gaRead.rows, gaRead.cols]).toEqual([m, 1]);
    for (let r = 0; r < m; r++) expectClose(gaRead.data[r]!, reference.ga[r]!, LOOP, `∇_a[${r}]`);
  });

  it('the population risk is exact for relu and erf (arc-cosine and arcsine kernels), a seeded Monte Carlo estimate otherwise', async () => {
    for (const activation of ['relu', 'erf'] as const) {
      for (const parameterization of ['ntk', 'mean-field', 'standard'] as const) {
        const result = await evalJson([...withTeacher(), '--activation', activation, '--parameterization', parameterization]);
        const reference = referencePopulationRisk({ ...student, activation, parameterization }, { ...teacher, activation, parameterization });
        expectClose(result.populationRisk!, reference, LOOP, `${activation} ${parameterization} populationRisk`);
      }
    }
    // tanh: no closed form. The estimate is deterministic (fixed seed) and agrees with an
    // independent average over 2·10⁵ Gaussian samples from another seed, to within a few standard errors.
    const first = await evalJson([...withTeacher(), '--activation', 'tanh']);
    const second = await evalJson([...withTeacher(), '--activation', 'tanh']);
    expect(second.populationRisk).toBe(first.populationRisk);
    const rng = createRng(12345);
    const samples = 200000;
    let sum = 0;
    const f = (net: { w: number[][]; a: number[] }, x: number[]): number =>
      net.w.reduce((s, row, r) => s + net.a[r]! * Math.tanh(row.reduce((t, v, k) => t + v * x[k]!, 0)), 0) / Math.sqrt(net.a.length);
    for (let t = 0; t < samples; t++) {
      const x = [rng.normal(), rng.normal(), rng.normal()];
      sum += (f(student, x) - f(teacher, x)) ** 2;
    }
    // Both estimates have relative standard error ≲ 0.5%; 5% is > 10 standard errors apart.
    expectClose(first.populationRisk!, sum / samples, { rel: 0.05 }, 'tanh populationRisk');
    const io = captureIo();
    expect(await main(['eval', ...withTeacher(), '--activation', 'tanh'], io)).toBe(0);
    expect(io.out()).toMatch(/^model: two-layer$/m);
    expect(io.out()).toMatch(/^ {2}population risk +\S+ {2}Monte Carlo \(100000 samples, seed 0\) ± \S+$/m);
  });

  it('rejects mismatched shapes naming both files, and flags of the other models', async () => {
    const a4 = join(dir, 'a4.npy');
    await writeNpy(a4, new Float64Array(4).fill(1), [4]);
    expect(await evalError([...base().slice(0, 4), '--output-weights', a4, '--data', files.X, '--labels', files.y])).toBe(
      `--output-weights ${JSON.stringify(a4)} has 4 entries, but --weights ${JSON.stringify(files.W)} is 5×3 (m = 5): one output weight per hidden unit`,
    );
    expect(await evalError([...base(), '--teacher', files.Ws, '--teacher-output-weights', a4])).toBe(
      `--teacher-output-weights ${JSON.stringify(a4)} has 4 entries, but --teacher ${JSON.stringify(files.Ws)} is 2×3 (m = 2): one output weight per hidden unit`,
    );
    const t4 = join(dir, 'T4.npy');
    await writeNpy(t4, new Float64Array(8).fill(1), [2, 4]);
    expect(await evalError([...base(), '--teacher', t4, '--teacher-output-weights', files.as])).toBe(
      `--teacher ${JSON.stringify(t4)} is 2×4 (d = 4) but --weights ${JSON.stringify(files.W)} is 5×3 (d = 3): the teacher needs at least one row and d columns`,
    );
    const x4 = join(dir, 'X4.npy');
    await writeNpy(x4, new Float64Array(28).fill(1), [7, 4]);
    expect(await evalError(['--model', 'two-layer', '--weights', files.W, '--output-weights', files.a, '--data', x4, '--labels', files.y])).toBe(
      `--weights ${JSON.stringify(files.W)} is 5×3 (d = 3) but --data ${JSON.stringify(x4)} is 7×4 (d = 4): both need d columns`,
    );
    expect(await evalError([...base(), '--teacher', files.Ws])).toBe(
      "--teacher needs --teacher-output-weights as well with --model two-layer (the teacher is W* and a*); see 'shallowscape eval --help'",
    );
    expect(await evalError(['--model', 'two-layer', '--weights', files.W, '--data', files.X, '--labels', files.y])).toMatch(/^missing required flag --output-weights <file>/);
    expect(await evalError(['--weights', files.W, '--data', files.X, '--labels', files.y, '--activation', 'tanh'])).toBe(
      "--activation applies only to --model two-layer (got --model quadratic); see 'shallowscape eval --help'",
    );
    expect(await evalError(['--weights', files.W, '--data', files.X, '--labels', files.y, '--output-grad-out', join(dir, 'g.npy')])).toMatch(/^--output-grad-out applies only to --model two-layer/);
    expect(await evalError([...base(), '--output-signs', files.a])).toMatch(/^--output-signs applies only to --model signed-quadratic \(got --model two-layer\)/);
    expect(await evalError([...base(), '--output-grad-out', join(dir, 'g.txt')])).toMatch(/^--output-grad-out ".*g\.txt": unknown matrix file extension ".txt"/);
    // Nothing was written by the failing runs.
    expect((await readdir(dir)).sort()).toEqual(['T4.npy', 'W.npy', 'Wstar.npy', 'X.npy', 'X4.npy', 'a.npy', 'a4.npy', 'astar.npy', 'y.npy']);
  });
});
