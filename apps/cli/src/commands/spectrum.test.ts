import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Matrix, createRng, eigvalsh, gaussianMatrix } from '@shallowscape/linalg';
import { goeMatrix, marchenkoPasturDensity, marchenkoPasturEdges, semicircleCdf, wishartMatrix } from '@shallowscape/rmt';
import { expectClose } from '@shallowscape/test-utils';
import { writeNpy } from '../io/npy';
import { main } from '../main';
import { captureIo } from '../testing/captured-io';
import { parseXmlElements } from '@shallowscape/test-utils';
import { defaultBins, lawScales, type SpectrumResult } from '@shallowscape/experiments';
import type { SpectrumRecord } from './spectrum';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shallowscape-spectrum-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ioFixture = (name: string): string => fileURLToPath(new URL(`../io/fixtures/${name}`, import.meta.url));

type Json = Omit<SpectrumResult, 'eigenvalues'> & { eigenvalues: number[] };

async function spectrumJson(args: string[]): Promise<Json> {
  const io = captureIo();
  const code = await main(['spectrum', '--json', ...args], io);
  expect(io.err()).toBe('');
  expect(code).toBe(0);
  return JSON.parse(io.out()) as Json;
}

async function spectrumError(args: string[]): Promise<string> {
  const out = join(dir, 'out');
  const io = captureIo();
  const code = await main(['spectrum', ...args, '--out', out], io);
  expect(code).toBe(2);
  expect(io.out()).toBe('');
  const err = io.err();
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err.startsWith('shallowscape: error: ')).toBe(true);
  expect(existsSync(out)).toBe(false);
  return err.slice('shallowscape: error: '.length).trimEnd();
}

/** The exact KS distance sup_x |F_n(x) − F(x)| of a sorted sample, evaluated at its jumps. */
function referenceKs(sorted: ArrayLike<number>, cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** The Marchenko–Pastur CDF by the trapezoidal rule on x = λ₋ + (λ₊ − λ₋)(1 − cos θ)/2 (smooth integrand). */
function referenceMpCdf(gamma: number): (x: number) => number {
  const { lower, upper } = marchenkoPasturEdges(gamma);
  const steps = 20000;
  const theta = new Float64Array(steps + 1);
  const cumulative = new Float64Array(steps + 1);
  const h = Math.PI / steps;
  const integrand = (t: number): number => {
    const x = lower + ((upper - lower) * (1 - Math.cos(t))) / 2;
    return x === 0 ? 0 : marchenkoPasturDensity(x, gamma) * ((upper - lower) / 2) * Math.sin(t);
  };
  for (let k = 1; k <= steps; k++) {
    theta[k] = k * h;
    cumulative[k] = cumulative[k - 1]! + (h / 2) * (integrand((k - 1) * h) + integrand(k * h));
  }
  return (x: number) => {
    if (x <= lower) return 0;
    if (x >= upper) return 1;
    const t = Math.acos(1 - (2 * (x - lower)) / (upper - lower));
    const k = Math.min(steps - 1, Math.floor(t / h));
    const frac = (t - k * h) / h;
    return cumulative[k]! + frac * (cumulative[k + 1]! - cumulative[k]!);
  };
}

/** ∫ |F_n − F| dx by the midpoint rule on a fine grid covering the sample and the support. */
function referenceW1(sorted: ArrayLike<number>, cdf: (x: number) => number, support: [number, number]): number {
  const n = sorted.length;
  const lo = Math.min(sorted[0]!, support[0]);
  const hi = Math.max(sorted[n - 1]!, support[1]);
  const steps = 200000;
  const h = (hi - lo) / steps;
  let sum = 0;
  let i = 0;
  for (let k = 0; k < steps; k++) {
    const x = lo + (k + 0.5) * h;
    while (i < n && sorted[i]! <= x) i++;
    sum += Math.abs(i / n - cdf(x)) * h;
  }
  return sum;
}

describe('spectrum --json', () => {
  it('prints exactly the contract keys; eigenvalues are those of the seeded Wishart matrix WᵀW', async () => {
    const result = await spectrumJson(['--m', '60', '--d', '20', '--seed', '5']);
    expect(Object.keys(result)).toEqual(['eigenvalues', 'ksMarchenkoPastur', 'ksSemicircle', 'wasserstein1']);
    const reference = eigvalsh(wishartMatrix(60, 20, createRng(5)));
    expect(result.eigenvalues).toEqual(Array.from(reference));
    for (let i = 1; i < 20; i++) expect(result.eigenvalues[i]!).toBeGreaterThanOrEqual(result.eigenvalues[i - 1]!);
    expect(result.eigenvalues[0]!).toBeGreaterThan(0);
  });

  it('--weights takes the spectrum of WᵀW: against a plain-loop Gram matrix and the trace identity', async () => {
    const w = gaussianMatrix(30, 8, createRng(11));
    const path = join(dir, 'W.npy');
    await writeNpy(path, w.data, [30, 8]);
    const result = await spectrumJson(['--weights', path]);
    const gram = Matrix.zeros(8, 8);
    for (let k = 0; k < 8; k++) for (let l = 0; l < 8; l++) for (let i = 0; i < 30; i++) gram.data[k * 8 + l]! += w.data[i * 8 + k]! * w.data[i * 8 + l]!;
    const reference = eigvalsh(gram);
    // eigvalsh is backward stable: errors are a few ulps of ‖WᵀW‖.
    for (let i = 0; i < 8; i++) expectClose(result.eigenvalues[i]!, reference[i]!, { abs: 1e-12 * reference[7]! }, `λ_${i}`);
    const frobenius = w.data.reduce((s, v) => s + v * v, 0);
    expectClose(
      result.eigenvalues.reduce((s, v) => s + v, 0),
      frobenius,
      { rel: 1e-12 },
      'Σλ = ‖W‖_F²',
    );
  });

  it('KS and Wasserstein-1 distances agree with independent computations in the documented scales', async () => {
    const [m, d] = [80, 40];
    const raw = await spectrumJson(['--m', String(m), '--d', String(d), '--seed', '2']);
    const semicircleScaled = raw.eigenvalues.map((v) => (v - m) / Math.sqrt(m * d));
    const mpScaled = raw.eigenvalues.map((v) => v / m);
    const gamma = d / m;
    const mpCdf = referenceMpCdf(gamma);
    expectClose(raw.ksSemicircle, referenceKs(semicircleScaled, semicircleCdf), { abs: 1e-12 }, 'ksSemicircle');
    expectClose(raw.ksMarchenkoPastur!, referenceKs(mpScaled, mpCdf), { abs: 1e-6 }, 'ksMarchenkoPastur');
    // Without --normalize, wasserstein1 is measured against Marchenko–Pastur (d ≤ m), in its scale.
    const { lower, upper } = marchenkoPasturEdges(gamma);
    expectClose(raw.wasserstein1!, referenceW1(mpScaled, mpCdf, [lower, upper]), { abs: 1e-5 }, 'wasserstein1 (MP)');
    const semi = await spectrumJson(['--m', String(m), '--d', String(d), '--seed', '2', '--normalize', 'semicircle']);
    expectClose(semi.wasserstein1!, referenceW1(semicircleScaled, semicircleCdf, [-2, 2]), { abs: 1e-5 }, 'wasserstein1 (semicircle)');
  });

  it('--normalize reports the eigenvalues of the normalised matrix; the KS distances do not change', async () => {
    const args = ['--m', '50', '--d', '10', '--seed', '1'];
    const raw = await spectrumJson(args);
    const semi = await spectrumJson([...args, '--normalize', 'semicircle']);
    const mp = await spectrumJson([...args, '--normalize', 'marchenko-pastur']);
    raw.eigenvalues.forEach((v, i) => {
      expectClose(semi.eigenvalues[i]!, (v - 50) / Math.sqrt(500), { rel: 1e-12, abs: 1e-14 }, `semicircle λ_${i}`);
      expectClose(mp.eigenvalues[i]!, v / 50, { rel: 1e-15 }, `MP λ_${i}`);
    });
    for (const r of [semi, mp]) {
      expect(r.ksSemicircle).toBe(raw.ksSemicircle);
      expect(r.ksMarchenkoPastur).toBe(raw.ksMarchenkoPastur);
    }
    expect(mp.wasserstein1).toBe(raw.wasserstein1);
    expect(semi.wasserstein1).not.toBe(raw.wasserstein1);
  });

  it('the semicircle law: the KS distance of (WᵀW − mI)/√(md) falls as m/d grows', async () => {
    const ks = [];
    for (const m of [40, 4000]) ks.push((await spectrumJson(['--m', String(m), '--d', '40', '--seed', '3'])).ksSemicircle);
    expect(ks[1]!).toBeLessThan(ks[0]! / 2);
    expect(ks[1]!).toBeLessThan(0.1);
  });

  it('GOE: n is --d, semicircle scale H/√n, no Marchenko–Pastur distance', async () => {
    const result = await spectrumJson(['--ensemble', 'goe', '--d', '30', '--seed', '4']);
    expect(result.eigenvalues).toEqual(Array.from(eigvalsh(goeMatrix(30, createRng(4)))));
    expect(result.ksMarchenkoPastur).toBeNull();
    const scaled = result.eigenvalues.map((v) => v / Math.sqrt(30));
    expectClose(result.ksSemicircle, referenceKs(scaled, semicircleCdf), { abs: 1e-12 }, 'ksSemicircle');
    expectClose(result.wasserstein1!, referenceW1(scaled, semicircleCdf, [-2, 2]), { abs: 1e-5 }, 'wasserstein1');
    const normalized = await spectrumJson(['--ensemble', 'goe', '--d', '30', '--seed', '4', '--normalize', 'semicircle']);
    normalized.eigenvalues.forEach((v, i) => expectClose(v, scaled[i]!, { rel: 1e-15, abs: 1e-15 }));
  });

  it('d > m: null Marchenko–Pastur distance, and null wasserstein1 unless --normalize semicircle', async () => {
    const result = await spectrumJson(['--m', '5', '--d', '12']);
    expect(result.ksMarchenkoPastur).toBeNull();
    expect(result.wasserstein1).toBeNull();
    expect(result.eigenvalues).toHaveLength(12);
    // WᵀW has rank m = 5: seven eigenvalues are zero up to rounding.
    for (const v of result.eigenvalues.slice(0, 7)) expect(Math.abs(v)).toBeLessThan(1e-12 * result.eigenvalues[11]!);
    expect((await spectrumJson(['--m', '5', '--d', '12', '--normalize', 'semicircle'])).wasserstein1).toBeGreaterThan(0);
  });

  it('is deterministic by seed, with sizes as small as m = d = 1', async () => {
    const a = await spectrumJson(['--m', '20', '--d', '6', '--seed', '9']);
    expect(await spectrumJson(['--m', '20', '--d', '6', '--seed', '9'])).toEqual(a);
    expect((await spectrumJson(['--m', '20', '--d', '6', '--seed', '10'])).eigenvalues).not.toEqual(a.eigenvalues);
    const tiny = await spectrumJson(['--m', '1', '--d', '1']);
    expect(tiny.eigenvalues).toHaveLength(1);
    expect(tiny.ksMarchenkoPastur).not.toBeNull();
  });
});

describe('spectrum --out', () => {
  it('writes spectrum.json (config, seed, versions, result) and a well-formed SVG with one bar per bin and the density', async () => {
    const out = join(dir, 'run');
    const io = captureIo();
    expect(await main(['spectrum', '--m', '400', '--d', '40', '--seed', '7', '--normalize', 'semicircle', '--bins', '17', '--out', out], io)).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['spectrum.json', 'spectrum.svg']);
    const record = JSON.parse(await readFile(join(out, 'spectrum.json'), 'utf8')) as SpectrumRecord;
    expect(Object.keys(record)).toEqual(['config', 'eigenvalues', 'files', 'ksMarchenkoPastur', 'ksSemicircle', 'versions', 'wasserstein1']);
    expect(record.config).toEqual({ source: 'wishart', weights: null, m: 400, d: 40, seed: 7, normalize: 'semicircle', wasserstein1Law: 'semicircle', bins: 17 });
    expect(record.versions.packages.map((p) => p.name)).toContain('@shallowscape/rmt');
    const json = await spectrumJson(['--m', '400', '--d', '40', '--seed', '7', '--normalize', 'semicircle']);
    expect(Array.from(record.eigenvalues)).toEqual(json.eigenvalues);
    const svg = await readFile(join(out, 'spectrum.svg'), 'utf8');
    const elements = parseXmlElements(svg);
    expect(elements[0]!.name).toBe('svg');
    expect(elements.filter((e) => e.name === 'path' && e.attributes['aria-roledescription'] === 'rect mark')).toHaveLength(17);
    const density = elements.filter((e) => e.name === 'path' && e.attributes['aria-roledescription'] === 'line mark');
    expect(density).toHaveLength(1);
    expect(density[0]!.attributes.d!.length).toBeGreaterThan(1000);
    expect(svg).toContain(`KS to the semicircle ${Number(record.ksSemicircle.toPrecision(4))}`);
    expect(svg).toContain('semicircle law');
    expect(svg).toContain('(WᵀW − mI) / √(md)');
    expect(io.out()).toContain(`wrote: ${join(out, 'spectrum.svg')}, ${join(out, 'spectrum.json')}`);
  });

  it('the same seed writes the same bytes; unnormalised spectra are plotted against the law in their own scale', async () => {
    for (const name of ['a', 'b']) expect(await main(['spectrum', '--m', '100', '--d', '20', '--out', join(dir, name)], captureIo())).toBe(0);
    for (const file of ['spectrum.svg', 'spectrum.json']) {
      const a = await readFile(join(dir, 'a', file), 'utf8');
      const b = await readFile(join(dir, 'b', file), 'utf8');
      expect(file === 'spectrum.json' ? a.replace(/"node": "[^"]*"/, '') : a, file).toBe(file === 'spectrum.json' ? b.replace(/"node": "[^"]*"/, '') : b);
    }
    const svg = await readFile(join(dir, 'a', 'spectrum.svg'), 'utf8');
    expect(svg).toContain('Marchenko–Pastur law (γ = 0.2)');
    expect(svg).toMatch(/>eigenvalue of WᵀW<\/text>/);
    // The x axis is in the units of WᵀW: ticks near m(1 ± √γ)² = 30.6… and 209.4….
    const ticks = [...svg.matchAll(/<text text-anchor="middle"[^>]*>(-?[\d.]+)<\/text>/g)].map((t) => Number(t[1]));
    expect(Math.max(...ticks)).toBeGreaterThan(150);
    expect((await readdir(join(dir, 'a'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('spectrum rejects bad input: one line, exit 2, nothing written', () => {
  it('--weights with --ensemble, --m, --d or --seed, naming both', async () => {
    const path = join(dir, 'W.npy');
    await writeNpy(path, new Float64Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    const q = JSON.stringify(path);
    expect(await spectrumError(['--weights', path, '--ensemble', 'goe'])).toBe(
      `--weights ${q} and --ensemble goe cannot be used together (the weights file fixes the matrix and its sizes); see 'shallowscape spectrum --help'`,
    );
    expect(await spectrumError(['--weights', path, '--m', '3'])).toMatch(/^--weights .* and --m 3 cannot be used together/);
    expect(await spectrumError(['--weights', path, '--d', '2'])).toMatch(/^--weights .* and --d 2 cannot be used together/);
    expect(await spectrumError(['--weights', path, '--seed', '1'])).toMatch(/^--weights .* and --seed 1 cannot be used together/);
  });

  it('sizes, laws that do not apply, bad files', async () => {
    expect(await spectrumError(['--m', '0'])).toBe(`invalid value for --m: "0" (expected a positive integer); see 'shallowscape spectrum --help'`);
    expect(await spectrumError(['--d=-3'])).toMatch(/^invalid value for --d: "-3"/);
    expect(await spectrumError(['--ensemble', 'goe', '--m', '4'])).toMatch(/^--m 4 applies only to --ensemble wishart/);
    expect(await spectrumError(['--ensemble', 'goe', '--normalize', 'marchenko-pastur'])).toMatch(/^--normalize marchenko-pastur applies to Wishart matrices/);
    expect(await spectrumError(['--m', '3', '--d', '5', '--normalize', 'marchenko-pastur'])).toBe(
      "--normalize marchenko-pastur needs d ≤ m (γ = d/m ≤ 1), but m = 3 < d = 5; see 'shallowscape spectrum --help'",
    );
    expect(await spectrumError(['--weights', ioFixture('nan-at-1-2.npy')])).toBe(`--weights ${JSON.stringify(ioFixture('nan-at-1-2.npy'))}: non-finite entry NaN at [1, 2]`);
    expect(await spectrumError(['--weights', ioFixture('bad-truncated.npy')])).toMatch(/truncated data/);
    expect(await spectrumError(['--weights', join(dir, 'missing.npy')])).toMatch(/^cannot read ".*missing\.npy": no such file or directory \(ENOENT\)$/);
    const empty = join(dir, 'empty.npy');
    await writeNpy(empty, new Float64Array(0), [0, 3]);
    expect(await spectrumError(['--weights', empty])).toMatch(/is 0×3: W needs at least one row and one column/);
    expect(await spectrumError(['--normalise', 'semicircle'])).toMatch(/^unknown flag --normalise .*did you mean --normalize/);
  });

  it('--out naming an existing file', async () => {
    const file = join(dir, 'taken');
    await writeFile(file, 'x');
    const io = captureIo();
    expect(await main(['spectrum', '--d', '3', '--out', file], io)).toBe(2);
    expect(io.err()).toBe(`shallowscape: error: --out ${JSON.stringify(file)}: it is a file, not a directory\n`);
  });
});

describe('spectrum text output', () => {
  it('summarises the spectrum and the distances', async () => {
    const io = captureIo();
    expect(await main(['spectrum', '--m', '50', '--d', '10'], io)).toBe(0);
    expect(io.out()).toMatch(/^Wishart matrix WᵀW: m = 50, d = 10, seed 0$/m);
    expect(io.out()).toMatch(/^ {2}KS to Marchenko–Pastur +\S+ {2}spectrum of WᵀW\/m, γ = d\/m = 0\.2$/m);
    expect(io.out()).toMatch(/^ {2}Wasserstein-1 +\S+ {2}to the Marchenko–Pastur law, in its scale$/m);
  });
});

describe('spectrum helpers', () => {
  it('their TSDoc examples hold', () => {
    expect(defaultBins(200)).toBe(29);
    expect(defaultBins(1)).toBe(10);
    expect(defaultBins(1e6)).toBe(80);
    expect(lawScales({ source: 'wishart', m: 100, d: 25 }).semicircle.scale).toBe(50);
    expect(lawScales({ source: 'wishart', m: 100, d: 25 }).marchenkoPastur?.gamma).toBe(0.25);
    expect(lawScales({ source: 'goe', m: null, d: 16 })).toEqual({ semicircle: { law: 'semicircle', shift: 0, scale: 4, gamma: NaN }, marchenkoPastur: null });
  });
});
