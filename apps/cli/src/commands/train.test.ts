import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from '@shallowscape/test-utils';
import { readNpy, writeNpy, type NpyArray } from '../io/npy';
import { main } from '../main';
import { captureIo } from '../testing/captured-io';
import type { EvalResult } from './eval';
import {
  DEFAULT_QUADRATIC_TRAINING,
  DEFAULT_TWO_LAYER_TRAINING,
  trainQuadratic,
  trainTwoLayer,
  type QuadraticTrainingOutput as TrainOutput,
  type TwoLayerTrainingOutput as TwoLayerTrainOutput,
} from '@shallowscape/experiments';
import { formatJson } from '../io/json-output';
import type { RunRecord, TwoLayerRunRecord } from './train';
import { referencePopulationRisk, referenceRiskAndGradients } from '../testing/two-layer-reference';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shallowscape-train-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ioFixture = (name: string): string => fileURLToPath(new URL(`../io/fixtures/${name}`, import.meta.url));

async function trainJson<T = TrainOutput>(args: string[]): Promise<T> {
  const io = captureIo();
  const code = await main(['train', '--json', ...args], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out()) as T;
}

/** Runs a failing train command with `--out` and checks the error contract; returns the message. */
async function trainError(args: string[]): Promise<string> {
  const out = join(dir, 'out');
  const io = captureIo();
  const code = await main(['train', ...args, '--out', out], io);
  expect(code).toBe(2);
  expect(io.out()).toBe('');
  const err = io.err();
  expect(err.endsWith('\n')).toBe(true);
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\bat .*\.ts:\d+/);
  expect(existsSync(out)).toBe(false);
  expect(err.startsWith('shallowscape: error: ')).toBe(true);
  return err.slice('shallowscape: error: '.length).trimEnd();
}

async function npy(name: string, rows: number, cols: number, fill: (k: number) => number = (k) => Math.sin(k + 1)): Promise<string> {
  const path = join(dir, name);
  // cols = 0 writes a 1-D array of length `rows`.
  const data = Float64Array.from({ length: cols === 0 ? rows : rows * cols }, (_, k) => fill(k));
  await writeNpy(path, data, cols === 0 ? [rows] : [rows, cols]);
  return path;
}

/** Row-major m×d matrix product AᵀB for A (r×d), B (r×d), by plain loops (test reference). */
function gram(a: NpyArray): number[][] {
  const [r, d] = a.shape as [number, number];
  const out = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < r; i++) for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) out[k]![l]! += a.data[i * d + k]! * a.data[i * d + l]!;
  return out;
}

/** Population risk 2‖Δ‖² + (tr Δ)² and relative error ‖Δ‖/‖A*‖ (Gaussian inputs) by plain loops. */
function referenceMetrics(w: NpyArray, teacher: NpyArray): { populationRisk: number; relativeError: number } {
  const a = gram(w);
  const s = gram(teacher);
  let deltaSquare = 0;
  let trace = 0;
  let teacherSquare = 0;
  a.forEach((row, k) =>
    row.forEach((v, l) => {
      const delta = v - s[k]![l]!;
      deltaSquare += delta * delta;
      teacherSquare += s[k]![l]! ** 2;
      if (k === l) trace += delta;
    }),
  );
  return { populationRisk: 2 * deltaSquare + trace * trace, relativeError: Math.sqrt(deltaSquare / teacherSquare) };
}

/** (1/N) Σ (‖W x_i‖² − y_i)² by plain loops. */
function referenceEmpiricalRisk(w: NpyArray, x: NpyArray, y: NpyArray): number {
  const [m, d] = w.shape as [number, number];
  const n = x.shape[0]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < m; j++) {
      let h = 0;
      for (let k = 0; k < d; k++) h += w.data[j * d + k]! * x.data[i * d + k]!;
      f += h * h;
    }
    sum += (f - y.data[i]!) ** 2;
  }
  return sum / n;
}

function withoutTiming(record: RunRecord): unknown {
  const { timing, history, ...rest } = record;
  expect(Object.keys(timing).sort()).toEqual(['optimizerMs', 'startedAt', 'totalMs']);
  const { elapsedMs, ...deterministicHistory } = history;
  expect(elapsedMs.length).toBe(history.step.length);
  return { ...rest, history: deterministicHistory };
}

describe('train --json', () => {
  it('is exactly the run of trainQuadratic / trainTwoLayer for the configuration the flags resolve to, bit for bit', async () => {
    const drop = (o: { history: Record<string, unknown> }): unknown => ({ ...o, history: { ...o.history, elapsedMs: null } });
    const cli = await trainJson(['--d', '6', '--m', '8', '--n', '21', '--seed', '3', '--optimizer', 'adam', '--steps', '200']);
    const { output } = await trainQuadratic({ ...DEFAULT_QUADRATIC_TRAINING, d: 6, m: 8, n: 21, teacherWidth: 6, seed: 3, optimizer: 'adam', steps: 200 });
    expect(drop(cli as never)).toEqual(drop(JSON.parse(formatJson(output)) as never));
    const cliTwoLayer = await trainJson<TwoLayerTrainOutput>(['--model', 'two-layer', '--m', '12', '--n', '9', '--steps', '30', '--seed', '5']);
    const twoLayer = await trainTwoLayer({ ...DEFAULT_TWO_LAYER_TRAINING, m: 12, n: 9, steps: 30, seed: 5 });
    expect(drop(cliTwoLayer as never)).toEqual(drop(JSON.parse(formatJson(twoLayer.output)) as never));
  });

  it('prints the contract keys and recovers the teacher above N* (relative error < 1e-6)', async () => {
    const result = await trainJson(['--d', '5', '--n', '30', '--seed', '3']);
    expect(Object.keys(result)).toEqual(['config', 'converged', 'final', 'history', 'stopReason']);
    expect(Object.keys(result.final)).toEqual(['empiricalRisk', 'gradientNorm', 'populationRisk', 'relativeError', 'step']);
    expect(Object.keys(result.history)).toEqual(['elapsedMs', 'gradientNorm', 'risk', 'step']);
    expect(result.config).toMatchObject({
      model: 'quadratic',
      d: 5,
      m: 5,
      n: 30,
      teacher: 'gaussian',
      teacherWidth: 5,
      teacherRank: null,
      inputs: 'gaussian',
      labels: 'teacher',
      noise: 0,
      init: 'gaussian',
      initScale: 1,
      optimizer: 'lbfgs',
      lineSearch: 'strong-wolfe',
      steps: 10000,
      objective: 'empirical',
      historyEvery: 10,
      seed: 3,
      tolSource: 'relative-default',
    });
    expect(result.converged).toBe(true);
    expect(result.stopReason).toBe('gradient-tolerance');
    expect(result.final.relativeError!).toBeLessThan(1e-6);
    expect(result.final.gradientNorm).toBeLessThanOrEqual(result.config.tol);
    expect(result.final.empiricalRisk).toBeLessThan(1e-10);
    expect(result.history.step[0]).toBe(0);
    expect(result.history.step.at(-1)).toBe(result.final.step);
    expect(result.history.risk.at(-1)).toBe(result.final.empiricalRisk);
    expect(result.history.risk[0]!).toBeGreaterThan(1);
  });

  it('below N* the student interpolates the data but does not recover the teacher', async () => {
    const result = await trainJson(['--d', '5', '--n', '8', '--seed', '3']);
    expect(result.final.empiricalRisk).toBeLessThan(1e-10);
    expect(result.final.relativeError!).toBeGreaterThan(1e-2);
  });

  it('recovers the teacher with every input distribution that identifies it, every init, and on the population risk', async () => {
    for (const args of [
      ['--inputs', 'uniform'],
      ['--init', 'identity'],
      ['--init', 'small'],
      ['--objective', 'population'],
      ['--model', 'signed-quadratic'],
      ['--teacher-width', '8', '--teacher-rank', '2'],
    ]) {
      const result = await trainJson(['--d', '4', '--n', '24', ...args]);
      expect(result.converged, args.join(' ')).toBe(true);
      expect(result.final.relativeError!, args.join(' ')).toBeLessThan(1e-6);
    }
  });

  it('null population metrics without a teacher; a signed network fits random labels below N*', async () => {
    const quadratic = await trainJson(['--d', '4', '--labels', 'random']);
    expect(quadratic.config.teacher).toBeNull();
    expect(quadratic.config.teacherWidth).toBeNull();
    expect(quadratic.final.populationRisk).toBeNull();
    expect(quadratic.final.relativeError).toBeNull();
    const signed = await trainJson(['--model', 'signed-quadratic', '--labels', 'random', '--d', '5', '--n', '12', '--seed', '1']);
    expect(signed.config.m).toBe(10);
    expect(signed.converged).toBe(true);
    expect(signed.final.empiricalRisk).toBeLessThan(1e-12);
  });

  it('the first-order optimisers reduce the risk with their default learning rates', async () => {
    for (const optimizer of ['gd', 'momentum', 'nesterov', 'adam']) {
      const result = await trainJson(['--d', '4', '--n', '24', '--optimizer', optimizer, '--steps', '300']);
      const risk = result.history.risk;
      expect(risk.at(-1)!, optimizer).toBeLessThan(risk[0]! * 1e-2);
      expect(result.config.learningRateSource).toBe(optimizer === 'gd' ? 'default' : 'curvature-estimate');
      expect(result.config.lineSearch).toBe(optimizer === 'gd' ? 'armijo' : 'none');
    }
    const fixed = await trainJson(['--d', '4', '--n', '24', '--optimizer', 'gd', '--lr', '1e-4', '--steps', '5', '--history-every', '2']);
    expect(fixed.config).toMatchObject({ learningRate: 1e-4, learningRateSource: 'flag', lineSearch: 'none' });
    expect(fixed.history.step).toEqual([0, 2, 4, 5]);
    expect(fixed.stopReason).toBe('max-steps');
    expect(fixed.converged).toBe(false);
  });

  it('--tol is an absolute gradient-norm tolerance', async () => {
    const loose = await trainJson(['--d', '4', '--n', '24', '--tol', '1']);
    expect(loose.config).toMatchObject({ tol: 1, tolSource: 'flag' });
    expect(loose.stopReason).toBe('gradient-tolerance');
    expect(loose.final.gradientNorm).toBeLessThanOrEqual(1);
    expect(loose.history.gradientNorm.slice(0, -1).every((g) => g > 1)).toBe(true);
  });
});

describe('train --out', () => {
  it('writes run.json and loadable matrices that reproduce the final metrics independently', async () => {
    const out = join(dir, 'run');
    const io = captureIo();
    expect(await main(['train', '--d', '4', '--n', '24', '--noise', '0.01', '--out', out], io)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['W.npy', 'W0.npy', 'X.npy', 'run.json', 'teacher.npy', 'y.npy']);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(Object.keys(record)).toEqual(['config', 'converged', 'evaluations', 'files', 'final', 'history', 'stopReason', 'timing', 'versions']);
    expect(record.config.seed).toBe(0);
    expect(record.config.noise).toBe(0.01);
    expect(record.versions.packages.map((p) => p.name)).toContain('@shallowscape/model');
    expect(record.files).toEqual({ weights: 'W.npy', initialWeights: 'W0.npy', inputs: 'X.npy', labels: 'y.npy', teacher: 'teacher.npy' });
    const w = readNpy(join(out, 'W.npy'));
    const x = readNpy(join(out, 'X.npy'));
    const y = readNpy(join(out, 'y.npy'));
    const teacher = readNpy(join(out, 'teacher.npy'));
    expect([w.shape, readNpy(join(out, 'W0.npy')).shape, x.shape, y.shape, teacher.shape]).toEqual([[4, 4], [4, 4], [24, 4], [24], [4, 4]]);
    // Independent references (plain loops); 1e-9 relative covers the different summation orders.
    expectClose(record.final.empiricalRisk, referenceEmpiricalRisk(w, x, y), { rel: 1e-9, abs: 1e-15 }, 'empiricalRisk');
    const reference = referenceMetrics(w, teacher);
    // The population risk includes the label-noise variance σ² = 1e-4.
    expectClose(record.final.populationRisk!, reference.populationRisk + 1e-4, { rel: 1e-9 }, 'populationRisk');
    expectClose(record.final.relativeError!, reference.relativeError, { rel: 1e-9 }, 'relativeError');
    // eval on the written files agrees with the run's final metrics.
    const evalIo = captureIo();
    expect(await main(['eval', '--weights', join(out, 'W.npy'), '--data', join(out, 'X.npy'), '--labels', join(out, 'y.npy'), '--teacher', join(out, 'teacher.npy'), '--json'], evalIo)).toBe(0);
    const evaluated = JSON.parse(evalIo.out()) as EvalResult;
    expectClose(evaluated.empiricalRisk, record.final.empiricalRisk, { rel: 1e-12, abs: 1e-18 });
    expectClose(evaluated.gradientNorm, record.final.gradientNorm, { rel: 1e-9, abs: 1e-15 });
    // The text summary names the files it wrote.
    expect(io.out()).toContain(`wrote: ${join(out, 'W.npy')}`);
    expect(io.out()).toMatch(/^stopped: (gradient-tolerance|relative-change) \(converged\) after \d+\.\d\d s$/m);
  });

  it('writes signs.npy for a signed network and no teacher.npy without a teacher', async () => {
    const out = join(dir, 'signed');
    expect(await main(['train', '--model', 'signed-quadratic', '--labels', 'random', '--d', '3', '--n', '5', '--out', out], captureIo())).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['W.npy', 'W0.npy', 'X.npy', 'run.json', 'signs.npy', 'y.npy']);
    expect(Array.from(readNpy(join(out, 'signs.npy')).data)).toEqual([1, 1, 1, -1, -1, -1]);
  });

  it('is deterministic: the same seed gives the same run.json apart from timing, and the same bytes', async () => {
    const args = ['train', '--d', '4', '--n', '18', '--optimizer', 'nesterov', '--steps', '200', '--seed', '42'];
    for (const name of ['a', 'b', 'c']) {
      expect(await main([...args.slice(0, -1), name === 'c' ? '43' : '42', '--out', join(dir, name)], captureIo())).toBe(0);
    }
    const load = async (name: string): Promise<RunRecord> => JSON.parse(await readFile(join(dir, name, 'run.json'), 'utf8')) as RunRecord;
    expect(withoutTiming(await load('a'))).toEqual(withoutTiming(await load('b')));
    for (const file of ['W.npy', 'W0.npy', 'X.npy', 'y.npy', 'teacher.npy']) {
      expect((await readFile(join(dir, 'a', file))).equals(await readFile(join(dir, 'b', file))), file).toBe(true);
    }
    expect((await readFile(join(dir, 'a', 'teacher.npy'))).equals(await readFile(join(dir, 'c', 'teacher.npy')))).toBe(false);
  });

  it('uses independent random streams: changing N changes neither the teacher nor the start', async () => {
    for (const n of ['10', '30']) expect(await main(['train', '--d', '4', '--n', n, '--steps', '0', '--out', join(dir, n)], captureIo())).toBe(0);
    for (const file of ['teacher.npy', 'W0.npy']) {
      expect((await readFile(join(dir, '10', file))).equals(await readFile(join(dir, '30', file))), file).toBe(true);
    }
    // The first 10 inputs agree too: the inputs stream does not depend on N.
    expect(Array.from(readNpy(join(dir, '30', 'X.npy')).data.subarray(0, 40))).toEqual(Array.from(readNpy(join(dir, '10', 'X.npy')).data));
  });

  it('stops at Ctrl-C, still writes the outputs for what was computed, and exits with 130', async () => {
    const out = join(dir, 'interrupted');
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    const timer = setTimeout(() => controller.abort(), 150);
    const code = await main(['train', '--d', '4', '--optimizer', 'gd', '--lr', '1e-7', '--steps', '100000000', '--out', out], io);
    clearTimeout(timer);
    expect(code).toBe(130);
    // A run of up to 1e8 steps announces its cost first.
    expect(io.err()).toMatch(/^(shallowscape: note: [^\n]*\n)?shallowscape: interrupted\n$/);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(record.stopReason).toBe('interrupted');
    expect(record.converged).toBe(false);
    expect(record.final.step).toBeGreaterThan(0);
    expect(record.final.step).toBeLessThan(100000000);
    expect(readNpy(join(out, 'W.npy')).shape).toEqual([4, 4]);
    expect((await readdir(out)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('train: sizes given by files and flags must agree', () => {
  it('accepts files whose sizes agree with each other and with the flags', async () => {
    const x = await npy('X.npy', 20, 4);
    const t = await npy('T.npy', 3, 4, (k) => Math.cos(k));
    const w0 = await npy('W0.npy', 6, 4, (k) => 0.5 + Math.sin(3 * k));
    const result = await trainJson(['--inputs', x, '--teacher', t, '--init', w0, '--d', '4', '--n', '20', '--m', '6', '--teacher-width', '3']);
    expect(result.config).toMatchObject({ d: 4, n: 20, m: 6, teacherWidth: 3, teacher: t, inputs: x, init: w0, initScale: null });
    const y = await npy('y.npy', 20, 0);
    const fromFiles = await trainJson(['--inputs', x, '--labels', y, '--steps', '20']);
    expect(fromFiles.config).toMatchObject({ d: 4, n: 20, m: 4, teacher: null });
    expect(fromFiles.final.relativeError).toBeNull();
  });

  it('rejects a size flag that disagrees with a file, naming both', async () => {
    const x = await npy('X.npy', 20, 4);
    const xq = JSON.stringify(x);
    expect(await trainError(['--inputs', x, '--d', '5'])).toBe(`--d is 5 but --inputs ${xq} is 20×4 (d = 4); they must agree (d)`);
    expect(await trainError(['--inputs', x, '--n', '21'])).toBe(`--n is 21 but --inputs ${xq} is 20×4 (N = 20); they must agree (N)`);
    const t = await npy('T.npy', 3, 4);
    expect(await trainError(['--teacher', t, '--teacher-width', '2'])).toBe(
      `--teacher-width is 2 but --teacher ${JSON.stringify(t)} is 3×4 (teacher width = 3); they must agree (teacher width)`,
    );
    const w0 = await npy('W0.npy', 6, 4);
    expect(await trainError(['--init', w0, '--m', '5'])).toBe(`--m is 5 but --init ${JSON.stringify(w0)} is 6×4 (m = 6); they must agree (m)`);
  });

  it('rejects files that disagree with each other, naming both', async () => {
    const t = await npy('T.npy', 3, 4);
    const x5 = await npy('X5.npy', 20, 5);
    expect(await trainError(['--teacher', t, '--inputs', x5])).toBe(
      `--teacher ${JSON.stringify(t)} is 3×4 (d = 4) but --inputs ${JSON.stringify(x5)} is 20×5 (d = 5); they must agree (d)`,
    );
    const x4 = await npy('X4.npy', 20, 4);
    const y = await npy('y.npy', 19, 0);
    expect(await trainError(['--inputs', x4, '--labels', y])).toBe(
      `--inputs ${JSON.stringify(x4)} is 20×4 (N = 20) but --labels ${JSON.stringify(y)} has 19 entries (N = 19); they must agree (N)`,
    );
  });
});

describe('train rejects bad input: one line, exit 2, no stack trace, no --out directory', () => {
  it('N = 0', async () => {
    const x = await npy('X0.npy', 0, 3);
    expect(await trainError(['--inputs', x])).toBe(`--inputs ${JSON.stringify(x)} is 0×3 (N = 0): no samples (N = 0); training needs at least one`);
    expect(await trainError(['--n', '0'])).toBe(`invalid value for --n: "0" (expected a positive integer); see 'shallowscape train --help'`);
  });

  it('m < d with --init identity', async () => {
    expect(await trainError(['--d', '6', '--m', '4', '--init', 'identity'])).toBe(
      "--init identity needs m ≥ d (W₀ = √m [I_d; 0]), but m = 4 < d = 6; raise --m or choose another --init; see 'shallowscape train --help'",
    );
  });

  it('NaN/Inf in a file, truncated or non-float .npy', async () => {
    expect(await trainError(['--inputs', ioFixture('nan-at-1-2.npy')])).toBe(`--inputs ${JSON.stringify(ioFixture('nan-at-1-2.npy'))}: non-finite entry NaN at [1, 2]`);
    expect(await trainError(['--labels', ioFixture('neginf-at-3.npy')])).toBe(`--labels ${JSON.stringify(ioFixture('neginf-at-3.npy'))}: non-finite entry -Infinity at [3]`);
    expect(await trainError(['--init', ioFixture('bad-truncated.npy')])).toMatch(/^--init ".*bad-truncated\.npy": truncated data: shape \(3, 3\) float64 needs 72 bytes/);
    expect(await trainError(['--teacher', ioFixture('bad-complex.npy')])).toMatch(/^--teacher ".*bad-complex\.npy": unsupported 128-bit complex dtype '<c16'/);
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, '1,2\n3\n');
    expect(await trainError(['--inputs', csv])).toBe(`--inputs ${JSON.stringify(csv)}: line 2 has 1 field, but line 1 has 2 (every row needs the same number)`);
  });

  it('unknown flags and values, and flags that do not apply', async () => {
    expect(await trainError(['--optimiser', 'gd'])).toBe("unknown flag --optimiser for 'shallowscape train' (did you mean --optimizer?); see 'shallowscape train --help'");
    expect(await trainError(['--optimizer', 'sgd'])).toBe(
      `invalid value for --optimizer: "sgd" (expected one of: gd, momentum, nesterov, adam, lbfgs); see 'shallowscape train --help'`,
    );
    expect(await trainError(['--labels', 'random', '--noise', '0.1'])).toBe("--noise applies only to --labels teacher (got --labels random); see 'shallowscape train --help'");
    expect(await trainError(['--labels', 'random', '--objective', 'population'])).toMatch(/^--objective population needs a teacher/);
    expect(await trainError(['--teacher-rank', '5', '--d', '4'])).toBe("--teacher-rank 5 exceeds min(teacher width, d) = min(4, 4) = 4; see 'shallowscape train --help'");
    expect(await trainError(['--init', await npy('W0.npy', 4, 10), '--init-scale', '2'])).toMatch(/^--init-scale applies only to --init identity\|gaussian\|small/);
    expect(await trainError(['--labels', 'random', '--teacher-width', '3'])).toMatch(/^--teacher-width applies only with a teacher/);
    expect(await trainError(['--inputs', 'normal'])).toBe(
      `invalid value for --inputs: "normal" (expected gaussian, rademacher, uniform or a .npy, .csv or .json file); see 'shallowscape train --help'`,
    );
    expect(await trainError(['--init', 'zeros'])).toMatch(/^invalid value for --init: "zeros" \(expected identity, gaussian, small or a \.npy/);
  });

  it('a diverging run names the step and suggests a smaller --lr', async () => {
    expect(await trainError(['--d', '4', '--optimizer', 'gd', '--lr', '10'])).toMatch(/^gradient descent diverged at step \d+: .*; try a smaller --lr than 10$/);
  });

  it('--out naming an existing file', async () => {
    const file = await npy('file.npy', 1, 1);
    const io = captureIo();
    expect(await main(['train', '--d', '3', '--out', file], io)).toBe(2);
    expect(io.err()).toBe(`shallowscape: error: --out ${JSON.stringify(file)}: it is a file, not a directory\n`);
  });
});

describe('train output on a terminal', () => {
  function ttyIo(): ReturnType<typeof captureIo> {
    const io = captureIo();
    Object.assign(io.stderr, { isTTY: true, columns: 100 });
    return io;
  }

  it('draws a progress bar on a TTY stderr and clears it, then prints the summary table', async () => {
    const io = ttyIo();
    expect(await main(['train', '--d', '4', '--n', '24', '--optimizer', 'gd', '--steps', '2000'], io)).toBe(0);
    expect(io.err()).toMatch(/^\r\[[#.]{24}\] step 0\/2000 {2}risk /);
    expect(io.err().endsWith('\r\x1b[K')).toBe(true);
    expect(io.out()).toMatch(/^quadratic network: d = 4, m = 4, N = 24 \(N\* = d\(d\+1\)\/2 = 10\), seed 0$/m);
    expect(io.out()).toMatch(/^ {2}relative error +\S+ {2}‖Q − W\*ᵀW\*‖_F \/ ‖W\*ᵀW\*‖_F$/m);
  });

  it('never draws it with --json or when stderr is not a terminal', async () => {
    const io = ttyIo();
    expect(await main(['train', '--d', '3', '--json'], io)).toBe(0);
    expect(io.err()).toBe('');
    const piped = captureIo();
    expect(await main(['train', '--d', '3'], piped)).toBe(0);
    expect(piped.err()).toBe('');
  });
});

describe('train --certify', () => {
  it('adds the certify object under "certificate" to --json and run.json; a recovered teacher is certified', async () => {
    const result = await trainJson(['--d', '4', '--n', '24', '--certify']);
    expect(Object.keys(result)).toEqual(['certificate', 'config', 'converged', 'final', 'history', 'stopReason']);
    const c = result.certificate!;
    expect(Object.keys(c)).toEqual(['energyBarrier', 'globalOptimality', 'sampleCondition', 'stationarity']);
    expect(c.globalOptimality.certified).toBe(true);
    expect(c.sampleCondition).toMatchObject({ n: 24, nStar: 10, liftRank: 10, holds: true });
    expect(c.energyBarrier!.belowBarrier).toBe(true);
    expectClose(c.stationarity.gradientNorm, result.final.gradientNorm, { rel: 1e-6, abs: 1e-12 }, 'gradientNorm');
    expectClose(c.energyBarrier!.populationRisk, result.final.populationRisk!, { rel: 1e-6, abs: 1e-15 }, 'populationRisk');

    const out = join(dir, 'run');
    const io = captureIo();
    expect(await main(['train', '--d', '4', '--n', '24', '--certify', '--out', out], io)).toBe(0);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as RunRecord;
    expect(record.certificate).toEqual(result.certificate);
    // certify on the written files gives the same object.
    const certifyIo = captureIo();
    const files = ['--weights', 'W.npy', '--data', 'X.npy', '--labels', 'y.npy', '--teacher', 'teacher.npy'].map((a) => (a.endsWith('.npy') ? join(out, a) : a));
    expect(await main(['certify', '--json', ...files], certifyIo)).toBe(0);
    expect(JSON.parse(certifyIo.out())).toEqual(result.certificate);
    expect(io.out()).toMatch(/^certificate of the final weights:$/m);
    expect(io.out()).toMatch(/^ {2}certified +yes /m);
  });

  it('without --certify there is no "certificate" key; below N* the sample condition fails', async () => {
    expect(Object.keys(await trainJson(['--d', '3', '--n', '12']))).not.toContain('certificate');
    const below = await trainJson(['--d', '4', '--n', '8', '--certify']);
    expect(below.certificate!.sampleCondition).toMatchObject({ n: 8, nStar: 10, liftRank: 8, holds: false, liftConditionNumber: 'Infinity' });
    // A signed network on random labels below N*: no teacher, a global minimum (zero risk) certified.
    const signed = await trainJson(['--model', 'signed-quadratic', '--labels', 'random', '--d', '3', '--n', '5', '--seed', '1', '--certify']);
    expect(signed.final.empiricalRisk).toBeLessThan(1e-12);
    expect(signed.certificate!.energyBarrier).toBeNull();
    expect(signed.certificate!.globalOptimality.certified).toBe(true);
  });
});

describe('train --model two-layer', () => {
  const toRows = (a: NpyArray): number[][] => {
    const [r, c] = a.shape as [number, number];
    return Array.from({ length: r }, (_, i) => Array.from(a.data.subarray(i * c, (i + 1) * c)));
  };
  const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, t) => s + t * t, 0));

  it('prints the contract keys; the --out files reproduce the risks by direct loops and eval', async () => {
    const out = join(dir, 'relu');
    const io = captureIo();
    const args = ['train', '--model', 'two-layer', '--d', '4', '--m', '12', '--n', '15', '--teacher-width', '3', '--steps', '200', '--json'];
    expect(await main([...args, '--out', out], io)).toBe(0);
    const result = JSON.parse(io.out()) as TwoLayerTrainOutput;
    expect(Object.keys(result)).toEqual(['config', 'converged', 'final', 'history', 'populationRiskStandardError', 'stopReason']);
    expect(Object.keys(result.final)).toEqual(['empiricalRisk', 'gradientNorm', 'movementHidden', 'movementOutput', 'populationRisk', 'relativeError', 'step']);
    expect(Object.keys(result.history)).toEqual(['elapsedMs', 'gradientNorm', 'movementHidden', 'movementOutput', 'risk', 'step']);
    // The final movements are the history's last entries (the history records the last step).
    const final = result.final;
    expect(final.movementHidden).toBe(result.history.movementHidden.at(-1));
    expect(final.movementOutput).toBe(result.history.movementOutput.at(-1));
    expect(final.movementHidden).toBeGreaterThan(0);
    expect(result.config).toMatchObject({
      model: 'two-layer',
      activation: 'relu',
      parameterization: 'ntk',
      d: 4,
      m: 12,
      n: 15,
      teacher: 'gaussian',
      teacherWidth: 3,
      labels: 'teacher',
      freeze: null,
      optimizer: 'lbfgs',
      learningRateHidden: 1,
      learningRateOutput: 1,
      learningRateSource: { hidden: 'default', output: 'default' },
      lineSearch: 'strong-wolfe',
      populationRiskMethod: 'exact',
      populationRiskSamples: null,
    });
    expect(result.final.relativeError).toBeNull();
    expect(result.populationRiskStandardError).toBe(0);
    // Movement is exactly zero at step 0 and recorded at every history point.
    expect(result.history.step[0]).toBe(0);
    expect(result.history.movementHidden[0]).toBe(0);
    expect(result.history.movementOutput[0]).toBe(0);
    expect(result.history.movementHidden).toHaveLength(result.history.step.length);
    expect(result.history.movementOutput).toHaveLength(result.history.step.length);

    expect((await readdir(out)).sort()).toEqual(['W.npy', 'W0.npy', 'Wstar.npy', 'X.npy', 'a.npy', 'a0.npy', 'astar.npy', 'run.json', 'y.npy']);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as TwoLayerRunRecord;
    expect(record.files).toEqual({
      weights: 'W.npy',
      outputWeights: 'a.npy',
      initialWeights: 'W0.npy',
      initialOutputWeights: 'a0.npy',
      inputs: 'X.npy',
      labels: 'y.npy',
      teacher: 'Wstar.npy',
      teacherOutputWeights: 'astar.npy',
    });
    const [w, a, w0, a0, x, y, ws, as] = ['W', 'a', 'W0', 'a0', 'X', 'y', 'Wstar', 'astar'].map((name) => readNpy(join(out, `${name}.npy`)));
    expect([w!.shape, a!.shape, w0!.shape, a0!.shape, x!.shape, y!.shape, ws!.shape, as!.shape]).toEqual([[12, 4], [12], [12, 4], [12], [15, 4], [15], [3, 4], [3]]);
    const student = { w: toRows(w!), a: Array.from(a!.data), activation: 'relu', parameterization: 'ntk' } as const;
    const teacher = { w: toRows(ws!), a: Array.from(as!.data), activation: 'relu', parameterization: 'ntk' } as const;
    // Teacher labels: y = f*(x), the teacher in the student's parameterisation.
    const xs = toRows(x!);
    const teacherOnData = referenceRiskAndGradients(teacher, xs, Array.from(y!.data));
    expect(teacherOnData.risk).toBeLessThan(1e-28);
    // Final metrics against plain loops (summation orders differ: 1e-10 relative).
    const reference = referenceRiskAndGradients(student, xs, Array.from(y!.data));
    expectClose(result.final.empiricalRisk, reference.risk, { rel: 1e-10, abs: 1e-20 }, 'empiricalRisk');
    expectClose(result.final.populationRisk!, referencePopulationRisk(student, teacher), { rel: 1e-10, abs: 1e-20 }, 'populationRisk');
    expectClose(result.final.gradientNorm, Math.hypot(norm(reference.gw.flat()), norm(reference.ga)), { rel: 1e-8, abs: 1e-14 }, 'gradientNorm');
    // Movements against the files.
    const diff = (p: NpyArray, q: NpyArray): number[] => Array.from(p.data, (v, k) => v - q.data[k]!);
    expectClose(result.history.movementHidden.at(-1)!, norm(diff(w!, w0!)) / norm(w0!.data), { rel: 1e-12 }, 'movementHidden');
    expectClose(result.history.movementOutput.at(-1)!, norm(diff(a!, a0!)) / norm(a0!.data), { rel: 1e-12 }, 'movementOutput');
    expect(result.history.movementOutput.at(-1)!).toBeGreaterThan(0);
    // eval on the written files agrees.
    const evalIo = captureIo();
    const files = ['--weights', 'W', '--output-weights', 'a', '--data', 'X', '--labels', 'y', '--teacher', 'Wstar', '--teacher-output-weights', 'astar'];
    expect(await main(['eval', '--model', 'two-layer', '--json', ...files.map((s, k) => (k % 2 === 1 ? join(out, `${s}.npy`) : s))], evalIo)).toBe(0);
    const evaluated = JSON.parse(evalIo.out()) as EvalResult;
    expectClose(evaluated.empiricalRisk, result.final.empiricalRisk, { rel: 1e-12, abs: 1e-20 });
    expectClose(evaluated.gradientNorm, result.final.gradientNorm, { rel: 1e-9, abs: 1e-14 });
    expectClose(evaluated.populationRisk!, result.final.populationRisk!, { rel: 1e-12 });
  });

  it('fits random labels with ReLU at moderate width (m = 60, N = 20) to a tiny training risk', async () => {
    const result = await trainJson<TwoLayerTrainOutput>(['--model', 'two-layer', '--labels', 'random', '--d', '5', '--m', '60', '--n', '20', '--seed', '2']);
    expect(result.config.teacher).toBeNull();
    expect(result.final.populationRisk).toBeNull();
    expect(result.final.empiricalRisk).toBeLessThan(1e-10);
    expect(result.final.empiricalRisk).toBeLessThan(result.history.risk[0]! * 1e-9);
    expect(result.converged).toBe(true);
  });

  it('--freeze keeps that layer bit-identical and leaves it out of gradientNorm', async () => {
    for (const layer of ['hidden', 'output'] as const) {
      const out = join(dir, layer);
      const io = captureIo();
      expect(
        await main(['train', '--model', 'two-layer', '--labels', 'random', '--d', '3', '--m', '10', '--n', '8', '--freeze', layer, '--optimizer', 'gd', '--steps', '50', '--json', '--out', out], io),
      ).toBe(0);
      const result = JSON.parse(io.out()) as TwoLayerTrainOutput;
      expect(result.config.freeze).toBe(layer);
      const [frozen, initial, moving, movingInitial] = layer === 'hidden' ? ['W', 'W0', 'a', 'a0'] : ['a', 'a0', 'W', 'W0'];
      expect((await readFile(join(out, `${frozen}.npy`))).equals(await readFile(join(out, `${initial}.npy`))), layer).toBe(true);
      expect((await readFile(join(out, `${moving}.npy`))).equals(await readFile(join(out, `${movingInitial}.npy`))), layer).toBe(false);
      const frozenMovement = layer === 'hidden' ? result.history.movementHidden : result.history.movementOutput;
      const movingMovement = layer === 'hidden' ? result.history.movementOutput : result.history.movementHidden;
      expect(frozenMovement.every((v) => v === 0)).toBe(true);
      expect(movingMovement.at(-1)!).toBeGreaterThan(0);
      expect(result.config.learningRateSource[layer]).toBe('frozen');
      expect(layer === 'hidden' ? result.config.learningRateHidden : result.config.learningRateOutput).toBe(0);
      // gradientNorm is the norm of the trainable layer's gradient only (eval writes both).
      const g = join(dir, `${layer}-G.npy`);
      const ga = join(dir, `${layer}-g.npy`);
      const files = ['--weights', join(out, 'W.npy'), '--output-weights', join(out, 'a.npy'), '--data', join(out, 'X.npy'), '--labels', join(out, 'y.npy')];
      expect(await main(['eval', '--model', 'two-layer', ...files, '--grad-out', g, '--output-grad-out', ga, '--json'], captureIo())).toBe(0);
      const trainable = layer === 'hidden' ? readNpy(ga).data : readNpy(g).data;
      const both = Math.hypot(norm(readNpy(g).data), norm(readNpy(ga).data));
      expectClose(result.final.gradientNorm, norm(trainable), { rel: 1e-10, abs: 1e-15 }, `${layer} gradientNorm`);
      expect(result.final.gradientNorm).toBeLessThan(both);
    }
  });

  it('takes the per-layer rates from --lr-hidden and --lr-output; every optimiser reduces the risk with its defaults', async () => {
    const fixed = await trainJson<TwoLayerTrainOutput>(['--model', 'two-layer', '--d', '3', '--m', '8', '--n', '10', '--optimizer', 'gd', '--lr-hidden', '0.05', '--lr-output', '0.2', '--steps', '5', '--history-every', '2']);
    expect(fixed.config).toMatchObject({ learningRateHidden: 0.05, learningRateOutput: 0.2, learningRateSource: { hidden: 'flag', output: 'flag' }, lineSearch: 'none' });
    expect(fixed.history.step).toEqual([0, 2, 4, 5]);
    expect(fixed.history.movementHidden).toHaveLength(4);
    expect(fixed.history.movementHidden.slice(1).every((v) => v > 0)).toBe(true);
    // One step of gd: θ₁ = θ₀ − η ⊙ ∇L(θ₀), so the movements after one step are η_W‖∇_W‖/‖W₀‖ and η_a‖∇_a‖/‖a₀‖.
    const out = join(dir, 'one-step');
    const oneStep = ['train', '--model', 'two-layer', '--d', '3', '--m', '8', '--n', '10', '--optimizer', 'gd', '--lr-hidden', '0.05', '--lr-output', '0.2', '--steps', '1', '--history-every', '1'];
    const io = captureIo();
    expect(await main([...oneStep, '--json', '--out', out], io)).toBe(0);
    const one = JSON.parse(io.out()) as TwoLayerTrainOutput;
    const g = join(dir, 'G0.npy');
    const ga = join(dir, 'g0.npy');
    const files = ['--weights', join(out, 'W0.npy'), '--output-weights', join(out, 'a0.npy'), '--data', join(out, 'X.npy'), '--labels', join(out, 'y.npy')];
    expect(await main(['eval', '--model', 'two-layer', ...files, '--grad-out', g, '--output-grad-out', ga], captureIo())).toBe(0);
    expectClose(one.history.movementHidden[1]!, (0.05 * norm(readNpy(g).data)) / norm(readNpy(join(out, 'W0.npy')).data), { rel: 1e-12 }, 'hidden');
    expectClose(one.history.movementOutput[1]!, (0.2 * norm(readNpy(ga).data)) / norm(readNpy(join(out, 'a0.npy')).data), { rel: 1e-12 }, 'output');

    for (const optimizer of ['gd', 'momentum', 'nesterov', 'adam']) {
      const result = await trainJson<TwoLayerTrainOutput>(['--model', 'two-layer', '--d', '4', '--m', '20', '--n', '12', '--optimizer', optimizer, '--steps', '300']);
      const risk = result.history.risk;
      expect(risk.at(-1)!, optimizer).toBeLessThan(risk[0]! * 0.1);
      const source = optimizer === 'gd' ? 'default' : optimizer === 'adam' ? 'weight-scale' : 'curvature-estimate';
      expect(result.config.learningRateSource, optimizer).toEqual({ hidden: source, output: source });
      expect(result.config.lineSearch).toBe(optimizer === 'gd' ? 'armijo' : 'none');
    }
  });

  it('every activation and parameterisation trains; relu and erf have exact population risks, the others Monte Carlo', async () => {
    for (const activation of ['relu', 'quadratic', 'tanh', 'erf', 'softplus', 'sigmoid']) {
      for (const parameterization of ['ntk', 'mean-field', 'standard']) {
        const label = `${activation} ${parameterization}`;
        const result = await trainJson<TwoLayerTrainOutput>(['--model', 'two-layer', '--activation', activation, '--parameterization', parameterization, '--d', '3', '--m', '6', '--n', '8', '--teacher-width', '2', '--steps', '30']);
        expect(result.config.activation, label).toBe(activation);
        expect(result.history.risk.at(-1)!, label).toBeLessThan(result.history.risk[0]!);
        const exact = activation === 'relu' || activation === 'erf';
        expect(result.config.populationRiskMethod, label).toBe(exact ? 'exact' : 'monte-carlo');
        expect(result.config.populationRiskSamples, label).toBe(exact ? null : 100000);
        expect(result.final.populationRisk!, label).toBeGreaterThanOrEqual(0);
        if (exact) expect(result.populationRiskStandardError, label).toBe(0);
        else expect(result.populationRiskStandardError!, label).toBeGreaterThan(0);
      }
    }
  });

  it('adds the label-noise variance to the population risk, and is deterministic', async () => {
    const args = ['--model', 'two-layer', '--activation', 'erf', '--d', '3', '--m', '6', '--n', '8'];
    const clean = await trainJson<TwoLayerTrainOutput>([...args, '--steps', '20']);
    const noisy = await trainJson<TwoLayerTrainOutput>([...args, '--noise', '0.1', '--steps', '0']);
    const start = await trainJson<TwoLayerTrainOutput>([...args, '--steps', '0']);
    expectClose(noisy.final.populationRisk!, start.final.populationRisk! + 0.01, { rel: 1e-12 });
    const again = await trainJson<TwoLayerTrainOutput>([...args, '--steps', '20']);
    expect(again.final).toEqual(clean.final);
    expect(again.history.movementHidden).toEqual(clean.history.movementHidden);
  });

  it('prints a summary table with the movements; Ctrl-C still writes the files (movements included) and exits with 130', async () => {
    const text = captureIo();
    expect(await main(['train', '--model', 'two-layer', '--d', '3', '--m', '8', '--n', '6', '--freeze', 'output'], text)).toBe(0);
    expect(text.out()).toMatch(/^two-layer relu network \(ntk\): d = 3, m = 8, N = 6, seed 0$/m);
    expect(text.out()).toMatch(/^optimizer lbfgs \(η_W 1, η_a 0, strong-wolfe line search\), output layer frozen$/m);
    expect(text.out()).toMatch(/^ {2}population risk +\S+ {2}exact, Gaussian inputs$/m);
    expect(text.out()).toMatch(/^ {2}output movement +0 {2}‖a − a₀‖ \/ ‖a₀‖$/m);

    const out = join(dir, 'interrupted');
    const controller = new AbortController();
    const io = captureIo({}, controller.signal);
    const timer = setTimeout(() => controller.abort(), 150);
    const args = ['train', '--model', 'two-layer', '--d', '4', '--m', '10', '--optimizer', 'gd', '--lr-hidden', '1e-9', '--lr-output', '1e-9', '--steps', '100000000'];
    const code = await main([...args, '--out', out], io);
    clearTimeout(timer);
    expect(code).toBe(130);
    // A run of up to 1e8 steps announces its cost first.
    expect(io.err()).toMatch(/^(shallowscape: note: [^\n]*\n)?shallowscape: interrupted\n$/);
    const record = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as TwoLayerRunRecord;
    expect(record.stopReason).toBe('interrupted');
    expect(record.final.step).toBeGreaterThan(0);
    expect(record.history.step.at(-1)).toBe(record.final.step);
    expect(record.history.movementHidden).toHaveLength(record.history.step.length);
    expect(record.history.movementHidden.at(-1)!).toBeGreaterThan(0);
    expect(readNpy(join(out, 'a.npy')).shape).toEqual([10]);
    expect((await readdir(out)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects flags that do not apply to the model, naming the flag', async () => {
    const twoLayer = ['--model', 'two-layer'];
    expect(await trainError(['--activation', 'relu'])).toBe("--activation applies only to --model two-layer (got --model quadratic); see 'shallowscape train --help'");
    expect(await trainError(['--model', 'signed-quadratic', '--freeze', 'hidden'])).toBe(
      "--freeze applies only to --model two-layer (got --model signed-quadratic); see 'shallowscape train --help'",
    );
    expect(await trainError(['--lr-hidden', '0.1'])).toMatch(/^--lr-hidden applies only to --model two-layer/);
    expect(await trainError([...twoLayer, '--init', 'identity'])).toMatch(/^--init applies only to --model quadratic\|signed-quadratic, not to --model two-layer \(got --init identity;/);
    expect(await trainError([...twoLayer, '--lr', '0.1'])).toMatch(/^--lr applies only to --model quadratic\|signed-quadratic.*use --lr-hidden and --lr-output/);
    expect(await trainError([...twoLayer, '--certify'])).toMatch(/^--certify applies only to --model quadratic/);
    expect(await trainError([...twoLayer, '--teacher-rank', '2'])).toMatch(/^--teacher-rank applies only to --model quadratic/);
    expect(await trainError([...twoLayer, '--objective', 'population'])).toMatch(/^--objective applies only to --model quadratic/);
    expect(await trainError([...twoLayer, '--inputs', 'uniform'])).toMatch(/^--inputs uniform applies only to quadratic models/);
    expect(await trainError([...twoLayer, '--freeze', 'hidden', '--lr-hidden', '0.1'])).toBe(
      "--lr-hidden 0.1 contradicts --freeze hidden (a frozen layer has rate 0); see 'shallowscape train --help'",
    );
    expect(await trainError([...twoLayer, '--labels', 'random', '--teacher-width', '3'])).toMatch(/^--teacher-width applies only with --labels teacher/);
    expect(await trainError([...twoLayer, '--activation', 'gelu'])).toBe(
      `invalid value for --activation: "gelu" (expected one of: relu, quadratic, tanh, erf, softplus, sigmoid); see 'shallowscape train --help'`,
    );
    expect(await trainError([...twoLayer, '--lr-output', '0'])).toMatch(/^invalid value for --lr-output: "0"/);
  });

  it('sizes from files must agree; a diverging run names the rates', async () => {
    const x = await npy('X.npy', 9, 3);
    expect(await trainError(['--model', 'two-layer', '--inputs', x, '--d', '4'])).toBe(`--d is 4 but --inputs ${JSON.stringify(x)} is 9×3 (d = 3); they must agree (d)`);
    const y = await npy('y.npy', 8, 0);
    expect(await trainError(['--model', 'two-layer', '--inputs', x, '--labels', y])).toBe(
      `--inputs ${JSON.stringify(x)} is 9×3 (N = 9) but --labels ${JSON.stringify(y)} has 8 entries (N = 8); they must agree (N)`,
    );
    const fromFiles = await trainJson<TwoLayerTrainOutput>(['--model', 'two-layer', '--inputs', x, '--labels', await npy('y9.npy', 9, 0), '--m', '5', '--steps', '5']);
    expect(fromFiles.config).toMatchObject({ d: 3, n: 9, m: 5, teacher: null });
    expect(await trainError(['--model', 'two-layer', '--d', '3', '--m', '5', '--n', '6', '--optimizer', 'gd', '--lr-hidden', '1e4', '--lr-output', '1e4', '--steps', '200'])).toMatch(
      /diverged at step \d+: .*; try smaller rates than --lr-hidden 10000, --lr-output 10000$/,
    );
  });
});
