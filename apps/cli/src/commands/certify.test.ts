import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Matrix, createRng, eigvalsh, gaussianMatrix, qr, singularValues } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, sampleInputs, teacherLabels } from '@shallowscape/model';
import { expectClose } from '@shallowscape/test-utils';
import { writeNpy } from '../io/npy';
import { main } from '../main';
import { captureIo } from '../testing/captured-io';
import { certify as certificateOf, type CertificateOutput } from '@shallowscape/experiments';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shallowscape-certify-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ioFixture = (name: string): string => fileURLToPath(new URL(`../io/fixtures/${name}`, import.meta.url));

async function save(name: string, m: Matrix | Float64Array): Promise<string> {
  const path = join(dir, name);
  if (m instanceof Matrix) await writeNpy(path, m.data, [m.rows, m.cols]);
  else await writeNpy(path, m, [m.length]);
  return path;
}

/** JSON as printed: infinite numbers are the string "Infinity". */
type Printed = Omit<CertificateOutput, 'sampleCondition'> & { sampleCondition: Omit<CertificateOutput['sampleCondition'], 'liftConditionNumber'> & { liftConditionNumber: number | string } };

async function certifyJson(args: string[]): Promise<Printed> {
  const io = captureIo();
  const code = await main(['certify', '--json', ...args], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out()) as Printed;
}

async function certifyError(args: string[]): Promise<string> {
  const io = captureIo();
  expect(await main(['certify', ...args], io)).toBe(2);
  expect(io.out()).toBe('');
  expect(io.err().trimEnd().split('\n')).toHaveLength(1);
  expect(io.err().startsWith('shallowscape: error: ')).toBe(true);
  return io.err().slice('shallowscape: error: '.length).trimEnd();
}

/** A teacher–student problem on disk: W* (d×d), Gaussian X (N×d), labels ‖W* x‖². */
async function problem(d: number, n: number, seed = 1): Promise<{ teacher: Matrix; x: Matrix; y: Float64Array; paths: { teacher: string; data: string; labels: string } }> {
  const rng = createRng(seed);
  const teacher = gaussianMatrix(d, d, rng.split());
  const x = sampleInputs(n, d, 'gaussian', rng.split());
  const y = teacherLabels(x, teacher);
  return { teacher, x, y, paths: { teacher: await save('teacher.npy', teacher), data: await save('X.npy', x), labels: await save('y.npy', y) } };
}

/** G = (2/N) Σ e_i x_i x_iᵀ with e_i = ‖W x_i‖² − y_i, by plain loops. */
function liftedGradient(w: Matrix, x: Matrix, y: Float64Array): Matrix {
  const [n, d] = [x.rows, x.cols];
  const g = Matrix.zeros(d, d);
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < w.rows; j++) {
      let h = 0;
      for (let k = 0; k < d; k++) h += w.data[j * d + k]! * x.data[i * d + k]!;
      f += h * h;
    }
    const e = f - y[i]!;
    for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) g.data[k * d + l]! += (2 / n) * e * x.data[i * d + k]! * x.data[i * d + l]!;
  }
  return g;
}

describe('certify --json', () => {
  it('prints exactly the contract keys; a rotated teacher is a certified global optimum with gap ≈ 0', async () => {
    const d = 4;
    const { teacher, paths } = await problem(d, 20);
    // W = R W* with R orthogonal: WᵀW = W*ᵀW*, the labels are fitted exactly.
    const rotation = qr(gaussianMatrix(d, d, createRng(99))).q;
    const w = Matrix.zeros(d, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) w.data[i * d + j]! += rotation.data[i * d + k]! * teacher.data[k * d + j]!;
    const c = await certifyJson(['--weights', await save('W.npy', w), '--data', paths.data, '--labels', paths.labels, '--teacher', paths.teacher]);
    expect(Object.keys(c)).toEqual(['energyBarrier', 'globalOptimality', 'sampleCondition', 'stationarity']);
    expect(Object.keys(c.stationarity)).toEqual(['gradientNorm', 'hessianMinEigenvalue']);
    expect(Object.keys(c.energyBarrier!)).toEqual(['barrier', 'belowBarrier', 'populationRisk']);
    expect(Object.keys(c.sampleCondition)).toEqual(['holds', 'liftConditionNumber', 'liftRank', 'n', 'nStar']);
    expect(Object.keys(c.globalOptimality)).toEqual(['certified', 'gapBound', 'liftedGradientMinEigenvalue', 'liftedOptimum', 'liftedOptimumLowerBound']);

    expect(c.globalOptimality.certified).toBe(true);
    expect(Math.abs(c.globalOptimality.gapBound!)).toBeLessThan(1e-9);
    expect(Math.abs(c.globalOptimality.liftedGradientMinEigenvalue)).toBeLessThan(1e-9);
    expect(c.globalOptimality.liftedOptimum!).toBeLessThan(1e-8);
    expect(c.globalOptimality.liftedOptimumLowerBound!).toBeGreaterThanOrEqual(0);
    expect(c.globalOptimality.liftedOptimumLowerBound!).toBeLessThanOrEqual(c.globalOptimality.liftedOptimum!);
    expect(c.stationarity.gradientNorm).toBeLessThan(1e-9);
    // At an exact interpolating optimum the Hessian is PSD (zero along the rotations W → e^{tK} W).
    expect(c.stationarity.hessianMinEigenvalue).toBeGreaterThan(-1e-8);
    // The barrier 2σ_min(W*)⁴ against an independent SVD; the risk is 0 < barrier.
    const sigma = singularValues(teacher);
    expectClose(c.energyBarrier!.barrier, 2 * sigma[d - 1]! ** 4, { rel: 1e-10 }, 'barrier');
    expect(c.energyBarrier!.populationRisk).toBeLessThan(1e-18 + 1e-20 * c.energyBarrier!.barrier);
    expect(c.energyBarrier!.belowBarrier).toBe(true);
    expect(c.sampleCondition).toMatchObject({ n: 20, nStar: 10, liftRank: 10, holds: true });
    expect(c.sampleCondition.liftConditionNumber as number).toBeGreaterThan(1);
  });

  it('W = 0 with positive labels is stationary but not certified; λ_min(G) and the Hessian match independent computations', async () => {
    const d = 3;
    const { x, y, paths } = await problem(d, 15, 2);
    const w = Matrix.zeros(4, d);
    const c = await certifyJson(['--weights', await save('W0.npy', w), '--data', paths.data, '--labels', paths.labels]);
    expect(c.energyBarrier).toBeNull();
    expect(c.stationarity.gradientNorm).toBe(0);
    expect(c.globalOptimality.certified).toBe(false);
    expect(c.globalOptimality.gapBound).toBeNull();
    // G = −(2/N) Σ y_i x_i x_iᵀ is negative definite for positive labels.
    const g = eigvalsh(liftedGradient(w, x, y));
    expectClose(c.globalOptimality.liftedGradientMinEigenvalue, g[0]!, { rel: 1e-10 }, 'λ_min(G)');
    expect(c.globalOptimality.liftedGradientMinEigenvalue).toBeLessThan(0);
    const hessian = new QuadraticEmpiricalRisk(x, y, 4).hessian(w);
    expectClose(c.stationarity.hessianMinEigenvalue, eigvalsh(hessian)[0]!, { rel: 1e-8, abs: 1e-10 }, 'λ_min(∇²L̂)');
  });

  it('a generic point: the gradient norm against (4/N) W S by plain loops', async () => {
    const d = 3;
    const { x, y, paths } = await problem(d, 12, 3);
    const w = gaussianMatrix(5, d, createRng(8));
    const c = await certifyJson(['--weights', await save('W.npy', w), '--data', paths.data, '--labels', paths.labels, '--teacher', paths.teacher]);
    // ∇L̂(W) = 2 W G (the mathematics guide, §2).
    const g = liftedGradient(w, x, y);
    let norm = 0;
    for (let i = 0; i < 5; i++) {
      for (let l = 0; l < d; l++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += 2 * w.data[i * d + k]! * g.data[k * d + l]!;
        norm += s * s;
      }
    }
    expectClose(c.stationarity.gradientNorm, Math.sqrt(norm), { rel: 1e-10 }, 'gradientNorm');
    expect(c.energyBarrier!.belowBarrier).toBe(c.energyBarrier!.populationRisk < c.energyBarrier!.barrier);
  });

  it('below N* the sample condition fails: rank N, infinite condition number printed as "Infinity"', async () => {
    const d = 4;
    const { paths } = await problem(d, 9, 4);
    const c = await certifyJson(['--weights', await save('W.npy', gaussianMatrix(4, d, createRng(1))), '--data', paths.data, '--labels', paths.labels]);
    expect(c.sampleCondition).toEqual({ n: 9, nStar: 10, liftRank: 9, liftConditionNumber: 'Infinity', holds: false });
  });

  it('signed-quadratic with --output-signs', async () => {
    const d = 3;
    const { paths } = await problem(d, 10, 5);
    const w = gaussianMatrix(6, d, createRng(2));
    const signs = await save('v.npy', new Float64Array([1, -1, 1, -1, 1, -1]));
    const args = ['--model', 'signed-quadratic', '--weights', await save('W.npy', w), '--data', paths.data, '--labels', paths.labels];
    const withFile = await certifyJson([...args, '--output-signs', signs]);
    const balanced = await certifyJson(args);
    expect(withFile.stationarity.gradientNorm).toBeGreaterThan(0);
    expect(withFile.stationarity.gradientNorm).not.toBe(balanced.stationarity.gradientNorm);
    expect(typeof withFile.globalOptimality.certified).toBe('boolean');
  });
});

describe('certify text output', () => {
  it('prints the four sections and the verdict', async () => {
    const { paths } = await problem(3, 12, 6);
    const io = captureIo();
    expect(await main(['certify', '--weights', await save('W.npy', Matrix.zeros(3, 3)), '--data', paths.data, '--labels', paths.labels], io)).toBe(0);
    const text = io.out();
    expect(text).toMatch(/^quadratic network: m = 3, d = 3$/m);
    for (const section of ['stationarity and curvature', 'energy barrier', 'sample condition', 'global optimality (convex lift)']) expect(text).toMatch(new RegExp(`^${section.replace(/[()]/g, '\\$&')}$`, 'm'));
    expect(text).toMatch(/^ {2}certified +no {2}λ_min\(G\) < 0: an escape direction exists$/m);
    expect(text).toContain('needs --teacher');
  });
});

describe('certify rejects bad input: one line, exit 2', () => {
  it('shape mismatches, NaN, bad files, missing flags', async () => {
    const { paths } = await problem(3, 8, 7);
    const w = await save('W.npy', gaussianMatrix(2, 3, createRng(1)));
    const w4 = await save('W4.npy', gaussianMatrix(2, 4, createRng(1)));
    const y7 = await save('y7.npy', new Float64Array(7));
    expect(await certifyError(['--weights', w4, '--data', paths.data, '--labels', paths.labels])).toBe(
      `--weights ${JSON.stringify(w4)} is 2×4 (d = 4) but --data ${JSON.stringify(paths.data)} is 8×3 (d = 3): both need d columns`,
    );
    expect(await certifyError(['--weights', w, '--data', paths.data, '--labels', y7])).toMatch(/^--labels ".*y7\.npy" has 7 entries, but --data .* \(N = 8\): one label per sample$/);
    expect(await certifyError(['--weights', w, '--data', paths.data, '--labels', paths.labels, '--teacher', w4])).toMatch(/^--teacher .* \(d = 4\) but --weights/);
    expect(await certifyError(['--weights', ioFixture('nan-at-1-2.npy'), '--data', paths.data, '--labels', paths.labels])).toMatch(/non-finite entry NaN at \[1, 2\]$/);
    expect(await certifyError(['--weights', w, '--data', ioFixture('bad-complex.npy'), '--labels', paths.labels])).toMatch(/unsupported 128-bit complex dtype/);
    expect(await certifyError(['--data', paths.data, '--labels', paths.labels])).toBe("missing required flag --weights <file>; see 'shallowscape certify --help'");
    expect(await certifyError(['--weights', w, '--data', paths.data, '--labels', paths.labels, '--output-signs', y7])).toMatch(/^--output-signs applies only to --model signed-quadratic/);
    const badSigns = await save('v.npy', new Float64Array([1, 0]));
    expect(await certifyError(['--model', 'signed-quadratic', '--weights', w, '--data', paths.data, '--labels', paths.labels, '--output-signs', badSigns])).toMatch(
      /entry \[1\] is 0, but output signs must be \+1 or -1$/,
    );
  });
});

describe('certificateOf', () => {
  it('its TSDoc example holds: W = I on the labels of W* = I is certified', () => {
    const x = Matrix.from([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(certificateOf({ w: Matrix.identity(2), x, y: Float64Array.of(1, 1, 2) }).globalOptimality.certified).toBe(true);
  });
});
