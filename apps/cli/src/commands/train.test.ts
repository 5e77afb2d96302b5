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
import type { RunRecord, TrainOutput } from './train';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shallowscape-train-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ioFixture = (name: string): string => fileURLToPath(new URL(`../io/fixtures/${name}`, import.meta.url));

async function trainJson(args: string[]): Promise<TrainOutput> {
  const io = captureIo();
  const code = await main(['train', '--json', ...args], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out()) as TrainOutput;
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
    expect(io.err()).toBe('shallowscape: interrupted\n');
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
    expect(io.err()).toBe(`shallowscape: error: --out ${JSON.stringify(file)} exists and is not a directory; see 'shallowscape train --help'\n`);
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
