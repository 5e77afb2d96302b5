import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getBackend, registerBackend, setBackend, type LinalgBackend } from '@shallowscape/linalg';
import type { Command } from '../command';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certifyCommand } from '../commands/certify';
import { evalCommand } from '../commands/eval';
import { spectrumCommand } from '../commands/spectrum';
import { trainCommand } from '../commands/train';
import { deriveCellSeed } from './cell-seed';
import { SweepFileError, parseSweepFile } from './sweep-file';
import { planSweep } from './sweep-plan';
import { pointValidator } from './sweepable-commands';

const plan = (text: string, command: Command = trainCommand) => planSweep(parseSweepFile('s.yaml', text), command, pointValidator(command, {}));
const problem = (text: string, command: Command = trainCommand): string => {
  try {
    plan(text, command);
  } catch (error) {
    expect(error).toBeInstanceOf(SweepFileError);
    return (error as Error).message;
  }
  throw new Error('no error');
};

/** A fresh directory holding empty files of these names (the plan checks that inputs exist, not their contents). */
function inputFiles(names: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-plan-'));
  for (const name of names) writeFileSync(join(dir, name), '');
  return dir;
}

describe('planSweep', () => {
  it('expands the grid of the issue: one cell per point and seed, the command line of train', () => {
    const p = plan('name: s\nrun: train\nfixed: { d: 6, m: 8 }\ngrid:\n  n: [10, 15, 20, 21, 25, 30]\nseeds: 8\n');
    expect(p.points).toHaveLength(6);
    expect(p.cells).toHaveLength(48);
    const cell = p.cells.find((c) => c.coordinates.n === 21 && c.repetition === 3)!;
    expect(cell.seed).toBe(deriveCellSeed(0, { n: 21 }, 3));
    expect(cell.argv).toEqual(['train', '--d=6', '--m=8', '--n=21', `--seed=${cell.seed}`, '--json']);
    expect(cell.key).toBe('{"n":21}#3');
    expect(new Set(p.cells.map((c) => c.seed)).size).toBe(48);
  });

  it('takes the Cartesian product with the first axis slowest', () => {
    const p = plan('name: s\nrun: train\ngrid:\n  d: [4, 5]\n  n: [20, 30, 40]\n');
    expect(p.points.map((q) => [q.coordinates.d, q.coordinates.n])).toEqual([
      [4, 20],
      [4, 30],
      [4, 40],
      [5, 20],
      [5, 30],
      [5, 40],
    ]);
    expect(p.coordinateNames).toEqual(['d', 'n']);
  });

  it('expands range, linspace and logrange (rounded for integer flags)', () => {
    const p = plan(`name: s
run: train
grids:
  - { n: { range: [10, 30, 5] } }
  - { noise: { range: [0, 0.3, 0.1] }, n: [50] }
  - { noise: { linspace: [0, 1, 3] }, n: [60] }
  - { n: { logrange: [10, 1000, 5] } }
  - { lr: { logrange: [1e-3, 1e-1, 3] }, n: [70], optimizer: [gd] }
`);
    const of = (grid: number, key: string): unknown[] => p.points.filter((q) => q.grid === grid).map((q) => q.coordinates[key]);
    expect(of(0, 'n')).toEqual([10, 15, 20, 25, 30]);
    expect(of(1, 'noise')).toEqual([0, 0.1, 0.2, 0.3]);
    expect(of(2, 'noise')).toEqual([0, 0.5, 1]);
    // n = 10 is also a point of the first grid, and runs once.
    expect(of(3, 'n')).toEqual([32, 100, 316, 1000]);
    expect(of(4, 'lr')).toEqual([0.001, 0.01, 0.1]);
  });

  it('derives values from parameters and fixed flags, in dependency order', () => {
    const p = plan(`name: s
run: train
fixed: { d: 6, m: "2*d" }
grid:
  n: "round(ratio * nstar)"
  nstar: "d*(d+1)/2"
  ratio: [0.5, 1.5]
`);
    expect(p.points.map((q) => q.coordinates)).toEqual([
      { n: 11, nstar: 21, ratio: 0.5 },
      { n: 32, nstar: 21, ratio: 1.5 },
    ]);
    // Parameters are coordinates, not flags.
    expect(p.cells[0]!.argv).toEqual(['train', '--d=6', '--m=12', '--n=11', `--seed=${p.cells[0]!.seed}`, '--json']);
  });

  it('reads hyphenated flags as underscores in expressions, and passes switches and negative numbers', () => {
    const p = plan(`name: s
run: train
fixed: { teacher-width: 3, certify: true }
grid:
  m: "teacher_width + 1"
  d: [3]
`);
    expect(p.cells[0]!.argv).toEqual(['train', '--teacher-width=3', '--certify', '--m=4', '--d=3', `--seed=${p.cells[0]!.seed}`, '--json']);
  });

  it('runs a point that two grids share once', () => {
    const p = plan('name: s\nrun: train\ngrids:\n  - { n: [10, 20] }\n  - { n: [20, 30] }\nseeds: 2\n');
    expect(p.points.map((q) => q.coordinates.n)).toEqual([10, 20, 30]);
    expect(p.cells).toHaveLength(6);
  });

  it('uses the base seed', () => {
    const a = plan('name: s\nrun: train\ngrid: { n: [10] }\n');
    const b = plan('name: s\nrun: train\nseed: 5\ngrid: { n: [10] }\n');
    expect(b.cells[0]!.seed).toBe(deriveCellSeed(5, { n: 10 }, 0));
    expect(b.cells[0]!.seed).not.toBe(a.cells[0]!.seed);
  });

  it('gives a command without --seed no seed, and one repetition', () => {
    const dir = inputFiles(['X.npy', 'y.npy', 'a.npy', 'b.npy']);
    const p = plan(`name: s\nrun: certify\nfixed: { data: ${dir}/X.npy, labels: ${dir}/y.npy }\ngrid:\n  weights: [${dir}/a.npy, ${dir}/b.npy]\n`, certifyCommand);
    expect(p.cells.map((c) => c.seed)).toEqual([null, null]);
    expect(p.cells[0]!.argv).toEqual(['certify', `--data=${dir}/X.npy`, `--labels=${dir}/y.npy`, `--weights=${dir}/a.npy`, '--json']);
    expect(problem('name: s\nrun: certify\nseeds: 2\ngrid:\n  weights: [a.npy]\n', certifyCommand)).toMatch(/seeds: certify takes no --seed/);
  });

  it('checks the points of eval, certify and spectrum as the commands check their flags, and that input files exist', () => {
    const dir = inputFiles(['W.npy', 'X.npy', 'y.npy', 'a.npy']);
    const inputs = `weights: ${dir}/W.npy, data: ${dir}/X.npy, labels: ${dir}/y.npy`;
    expect(plan(`name: s\nrun: eval\nfixed: { ${inputs} }\ngrid:\n  model: [quadratic]\n`, evalCommand).cells).toHaveLength(1);
    expect(problem(`name: s\nrun: eval\nfixed: { ${inputs} }\ngrid:\n  model: [quadratic, two-layer]\n`, evalCommand)).toMatch(
      /^s\.yaml:4:1: grid point \(model=two-layer\): --output-weights: missing required flag --output-weights <file>/,
    );
    expect(problem(`name: s\nrun: eval\nfixed: { ${inputs} }\ngrid:\n  activation: [relu]\n`, evalCommand)).toMatch(/grid\.activation\[0\]: --activation applies only to --model two-layer/);
    expect(problem(`name: s\nrun: eval\nfixed: { data: ${dir}/X.npy, labels: ${dir}/y.npy }\ngrid:\n  weights: [${dir}/W.npy, ${dir}/missing.npy]\n`, evalCommand)).toMatch(
      /grid\.weights\[1\]: cannot read ".*missing\.npy": no such file or directory/,
    );
    expect(problem(`name: s\nrun: certify\nfixed: { data: ${dir}/X.npy }\ngrid:\n  weights: [${dir}/W.npy]\n`, certifyCommand)).toMatch(/missing required flag --labels/);
    expect(problem(`name: s\nrun: certify\nfixed: { ${inputs} }\ngrid:\n  teacher: [${dir}]\n`, certifyCommand)).toMatch(/grid\.teacher\[0\]: cannot read .*: is a directory/);
    expect(plan('name: s\nrun: spectrum\ngrid:\n  d: [10, 20]\n  m: [40]\n', spectrumCommand).cells).toHaveLength(2);
    expect(problem('name: s\nrun: spectrum\nfixed: { normalize: marchenko-pastur }\ngrid:\n  d: [10, 50]\n  m: [40]\n', spectrumCommand)).toMatch(
      /^s\.yaml:3:10: fixed\.normalize at \(d=50, m=40\): --normalize marchenko-pastur needs d ≤ m \(γ = d\/m ≤ 1\), but m = 40 < d = 50/,
    );
    expect(problem('name: s\nrun: spectrum\nfixed: { ensemble: goe }\ngrid:\n  m: [40]\n', spectrumCommand)).toMatch(/grid\.m\[0\]: --m 40 applies only to --ensemble wishart/);
    expect(problem(`name: s\nrun: spectrum\nfixed: { weights: ${dir}/W.npy }\ngrid:\n  d: [4]\n`, spectrumCommand)).toMatch(/cannot be used together/);
    expect(problem('name: s\nrun: spectrum\ngrid:\n  d: [1000000]\n', spectrumCommand)).toMatch(/grid point \(d=1000000\): --d 1000000: the run needs about .* of memory/);
  });

  it.each([
    ['name: s\nrun: train\ngrid:\n  foo: [1]\n', /^s\.yaml:4:3: grid\.foo: train has no flag --foo/],
    ['name: s\nrun: train\ngrid:\n  nn: [1]\n', /did you mean 'n'\?/],
    ['name: s\nrun: train\nfixed: { bogus: 1 }\ngrid:\n  n: [10]\n', /^s\.yaml:3:10: fixed\.bogus: train has no flag --bogus/],
    ['name: s\nrun: train\nfixed: { n: 10 }\ngrid:\n  n: [10]\n', /grid\.n: n is also in fixed; give it in one place/],
    ['name: s\nrun: train\ngrid:\n  n: [10, -1]\n', /^s\.yaml:4:11: grid\.n\[1\]: invalid value for --n: "-1" \(expected a positive integer\)$/],
    ['name: s\nrun: train\ngrid:\n  model: [quadratic, cubic]\n', /grid\.model\[1\]: invalid value for --model: "cubic"/],
    ['name: s\nrun: train\ngrid:\n  model: { range: [1, 3, 1] }\n', /grid\.model: a range form gives numbers, but --model takes text/],
    ['name: s\nrun: train\ngrid:\n  n: "1 +"\n', /grid\.n: cannot read the expression "1 \+": unexpected end/],
    ['name: s\nrun: train\ngrid:\n  n: "10 > 5"\n', /grid\.n: "10 > 5" gives true at \(the only point\), but --n takes a number/],
    ['name: s\nrun: train\ngrid:\n  n: "1/0"\n', /grid\.n: "1\/0" is Infinity/],
    ['name: s\nrun: train\ngrid:\n  x: [2]\n  n: "x / 4"\n', /grid\.n: "x \/ 4" = 0\.5 at x=2 is not an integer/],
    ['name: s\nrun: train\nfixed: { d: 4 }\ngrid:\n  m: [2]\n  init: [identity]\n', /fixed\.d|grid\.init/],
    ['name: s\nrun: train\nseeds: 3\ngrid:\n  n: [10]\n  json: [true]\n', /grid\.json: cannot be swept: the sweep always runs its cells with --json/],
  ])('refuses %j', (text, pattern) => {
    expect(problem(text)).toMatch(pattern);
  });

  it('accepts a value that is an integer up to rounding noise', () => {
    const p = plan('name: s\nrun: train\ngrid:\n  r: [0.1]\n  n: "r * 3 * 10"\n');
    expect(p.points[0]!.coordinates.n).toBe(3);
  });
});

describe('planSweep under a float32 device backend (--backend webgpu|gpujs)', () => {
  const device: LinalgBackend = { name: 'test-gpu', precision: 'float32', description: 'a float32 device stand-in' };
  let previous: LinalgBackend;
  beforeEach(() => {
    previous = getBackend();
    registerBackend(device);
    setBackend(device);
  });
  afterEach(() => {
    setBackend(previous);
  });

  it('checks every point as the GPU descent needs it, before any cell runs: fixed steps, the empirical objective, ReLU', () => {
    expect(plan('name: s\nrun: train\nfixed: { d: 4, optimizer: gd, lr: 0.001 }\ngrid:\n  n: [10, 20]\n').cells).toHaveLength(2);
    expect(problem('name: s\nrun: train\nfixed: { d: 4, optimizer: gd }\ngrid:\n  lr: [0.001]\n  n: [10, 20]\n  objective: [empirical, population]\n')).toMatch(
      /--backend test-gpu trains on the empirical objective \(got --objective population\)/,
    );
    expect(problem('name: s\nrun: train\nfixed: { d: 4 }\ngrid:\n  n: [10, 20]\n')).toMatch(/--backend test-gpu runs fixed-step gradient descent on the GPU: give --optimizer gd and --lr \(got --optimizer lbfgs without --lr\)/);
    expect(plan('name: s\nrun: train\nfixed: { model: two-layer, optimizer: gd, lr-hidden: 0.5, lr-output: 0.5 }\ngrid:\n  n: [10, 20]\n').cells).toHaveLength(2);
    expect(problem('name: s\nrun: train\nfixed: { model: two-layer, optimizer: gd, lr-hidden: 0.5 }\ngrid:\n  n: [10, 20]\n')).toMatch(/give --lr-output \(the loop on the GPU has no line search\)/);
    expect(plan('name: s\nrun: train\nfixed: { model: two-layer, optimizer: gd, freeze: output, lr-hidden: 0.5 }\ngrid:\n  n: [10, 20]\n').cells).toHaveLength(2);
    expect(problem('name: s\nrun: train\nfixed: { model: two-layer, optimizer: gd, lr-hidden: 0.5, lr-output: 0.5 }\ngrid:\n  activation: [relu, tanh]\n')).toMatch(
      /--backend test-gpu trains two-layer networks with --activation relu \(got tanh\)/,
    );
  });

  it('refuses a two-layer evaluation with another activation than ReLU, and the commands that compute in float64 only', () => {
    const dir = inputFiles(['W.npy', 'a.npy', 'X.npy', 'y.npy']);
    const evalSweep = (activation: string) =>
      `name: s\nrun: eval\nfixed: { model: two-layer, weights: ${dir}/W.npy, output-weights: ${dir}/a.npy, data: ${dir}/X.npy, labels: ${dir}/y.npy }\ngrid:\n  activation: [${activation}]\n`;
    expect(plan(evalSweep('relu'), evalCommand).cells).toHaveLength(1);
    expect(problem(evalSweep('relu, erf'), evalCommand)).toMatch(/--backend test-gpu evaluates two-layer networks with --activation relu \(got erf\)/);
    expect(() => pointValidator(certifyCommand, {})).toThrow(/--backend test-gpu \(float32\) applies to train, eval, sweep; certificates are never computed in float32/);
    expect(() => pointValidator(spectrumCommand, {})).toThrow(/spectrum computes in float64 only/);
  });
});
