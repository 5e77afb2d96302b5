/**
 * `shallowscape spectrum`: the eigenvalues of a Wishart matrix $W^\top W$ (sampled, or of given
 * weights) or of a GOE matrix, their Kolmogorov–Smirnov distances to the semicircle and
 * Marchenko–Pastur laws, the Wasserstein-1 distance to one of them, and with `--out` a JSON record
 * and an SVG histogram with the law's density drawn over it (the mathematics guide, §1.3).
 *
 * @packageDocumentation
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Matrix, ShapeError, createRng, eigvalsh, syrk } from '@shallowscape/linalg';
import {
  goeMatrix,
  histogram,
  ksToMarchenkoPastur,
  ksToSemicircle,
  marchenkoPasturDensity,
  marchenkoPasturEdges,
  semicircleDensity,
  wasserstein1ToMarchenkoPastur,
  wasserstein1ToSemicircle,
  wishartMatrix,
} from '@shallowscape/rmt';
import { defineCommand } from '../command';
import { usageError } from '../errors';
import { formatJson, jsonFlag } from '../io/json-output';
import { readMatrixFile } from '../io/matrix-file';
import { writeFileAtomic } from '../io/write-file-atomic';
import { histogramSvg } from '../plot/histogram-svg';
import { collectVersions, type Versions } from '../versions';
import { formatNumber } from './eval';

/** The random ensembles `--ensemble` samples. */
export const ENSEMBLES = ['wishart', 'goe'] as const;
/** The limiting laws `--normalize` scales to. */
export const LAWS = ['semicircle', 'marchenko-pastur'] as const;
/** A limiting law. */
export type LawName = (typeof LAWS)[number];

/** Default size $d$ (the matrix is $d \times d$). */
export const DEFAULT_SPECTRUM_D = 100;
/** Default Wishart aspect ratio: $m = 10 d$. */
export const DEFAULT_ASPECT = 10;
/** Points at which the law's density is drawn. */
const CURVE_POINTS = 600;

/** What `spectrum --json` prints. */
export interface SpectrumResult {
  /** Eigenvalues, ascending: of the normalised matrix with `--normalize`, of $W^\top W$ (or $H$) itself without. */
  eigenvalues: Float64Array;
  /** KS distance of the semicircle-normalised spectrum to the semicircle law. */
  ksSemicircle: number;
  /** KS distance of the spectrum of $W^\top W / m$ to Marchenko–Pastur with $\gamma = d/m$; `null` for GOE or $d > m$. */
  ksMarchenkoPastur: number | null;
  /** $W_1$ distance to the law in {@link SpectrumConfig.wasserstein1Law}, in that law's scale; `null` when there is none. */
  wasserstein1: number | null;
}

/** The resolved configuration (`config` in `spectrum.json`). */
export interface SpectrumConfig {
  /** `"wishart"` or `"goe"` (sampled), or `"weights"` ($W^\top W$ of `--weights`). */
  source: 'wishart' | 'goe' | 'weights';
  /** The weights file, or `null`. */
  weights: string | null;
  /** Rows $m$ of $W$, or `null` for GOE. */
  m: number | null;
  /** Size $d$ of the $d \times d$ matrix (for GOE, $n$). */
  d: number;
  /** The seed of a sampled matrix, `null` for `--weights`. */
  seed: number | null;
  /** `--normalize`, or `null`. */
  normalize: LawName | null;
  /** The law `wasserstein1` and the plot compare to, or `null`. */
  wasserstein1Law: LawName | null;
  /** Histogram bins of the plot. */
  bins: number;
}

/** The contents of `spectrum.json` in `--out DIR`. */
export interface SpectrumRecord extends SpectrumResult {
  config: SpectrumConfig;
  versions: Versions;
  /** The files written beside `spectrum.json`. */
  files: Record<string, string>;
}

/** The affine map $x = (\lambda - \text{shift}) / \text{scale}$ from an eigenvalue to a law's scale. */
interface LawScale {
  law: LawName;
  shift: number;
  scale: number;
  /** The Marchenko–Pastur ratio $\gamma = d/m$ (Marchenko–Pastur only). */
  gamma: number;
}

/** The matrix whose spectrum is taken, and where it came from. */
interface SpectrumSource {
  source: SpectrumConfig['source'];
  m: number | null;
  d: number;
  matrix: Matrix;
}

/**
 * The normalisations of the spectrum of a $d \times d$ matrix: the semicircle scale
 * $(\lambda - m)/\sqrt{md}$ for $W^\top W$ ($\lambda/\sqrt n$ for GOE), and the
 * Marchenko–Pastur scale $\lambda/m$ with $\gamma = d/m$ for $W^\top W$ with $d \le m$.
 *
 * @param source - where the matrix comes from, with $m$ (`null` for GOE) and $d$.
 * @returns the affine maps $x = (\lambda - \text{shift})/\text{scale}$ of both laws (`null` where a law does not apply).
 * @example
 * ```ts
 * lawScales({ source: 'wishart', m: 100, d: 25 }).semicircle.scale; // => 50
 * lawScales({ source: 'wishart', m: 100, d: 25 }).marchenkoPastur?.gamma; // => 0.25
 * ```
 */
export function lawScales(source: { source: SpectrumConfig['source']; m: number | null; d: number }): { semicircle: LawScale; marchenkoPastur: LawScale | null } {
  if (source.source === 'goe' || source.m === null) {
    return { semicircle: { law: 'semicircle', shift: 0, scale: Math.sqrt(source.d), gamma: NaN }, marchenkoPastur: null };
  }
  const { m, d } = source;
  return {
    semicircle: { law: 'semicircle', shift: m, scale: Math.sqrt(m * d), gamma: NaN },
    marchenkoPastur: d <= m ? { law: 'marchenko-pastur', shift: 0, scale: m, gamma: d / m } : null,
  };
}

function rescale(values: Float64Array, s: LawScale): Float64Array {
  return values.map((v) => (v - s.shift) / s.scale);
}

/** The support of a law in its own scale. */
function lawSupport(s: LawScale): [number, number] {
  if (s.law === 'semicircle') return [-2, 2];
  const { lower, upper } = marchenkoPasturEdges(s.gamma);
  return [lower, upper];
}

function lawDensity(s: LawScale, x: number): number {
  return s.law === 'semicircle' ? semicircleDensity(x) : marchenkoPasturDensity(x, s.gamma);
}

/**
 * Computes the `spectrum` result from a symmetric matrix: its eigenvalues, the KS distances to
 * both laws (each in its own scale, whatever `normalize` is) and the Wasserstein-1 distance to
 * `law`.
 *
 * @param source - the $d \times d$ matrix and its origin ($m$ for $W^\top W$).
 * @param normalize - the scale of the reported eigenvalues, or `null` for the matrix's own.
 * @param law - the law of `wasserstein1` (`null`: none).
 * @returns the `--json` object; eigenvalues ascending.
 * @throws {@link @shallowscape/linalg!NotSymmetricError | NotSymmetricError} when the matrix is not symmetric (a programming error).
 */
export function spectrumOf(source: SpectrumSource, normalize: LawName | null, law: LawName | null): SpectrumResult {
  const raw = eigvalsh(source.matrix);
  const scales = lawScales(source);
  const semicircleValues = rescale(raw, scales.semicircle);
  const mpValues = scales.marchenkoPastur === null ? null : rescale(raw, scales.marchenkoPastur);
  const lawOf = (name: LawName | null): Float64Array | null => (name === null ? raw : name === 'semicircle' ? semicircleValues : mpValues);
  let wasserstein1: number | null = null;
  if (law === 'semicircle') wasserstein1 = wasserstein1ToSemicircle(semicircleValues);
  else if (law === 'marchenko-pastur' && mpValues !== null) wasserstein1 = wasserstein1ToMarchenkoPastur(mpValues, scales.marchenkoPastur!.gamma);
  return {
    eigenvalues: lawOf(normalize)!,
    ksSemicircle: ksToSemicircle(semicircleValues),
    ksMarchenkoPastur: mpValues === null ? null : ksToMarchenkoPastur(mpValues, scales.marchenkoPastur!.gamma),
    wasserstein1,
  };
}

/**
 * The default number of histogram bins for $n$ eigenvalues: $\lceil 2\sqrt n \rceil$ clipped to $[10, 80]$.
 *
 * @example
 * ```ts
 * defaultBins(200); // => 29
 * ```
 */
export function defaultBins(n: number): number {
  return Math.min(80, Math.max(10, Math.ceil(2 * Math.sqrt(n))));
}

const LAW_TITLES: Record<LawName, string> = { semicircle: 'semicircle law', 'marchenko-pastur': 'Marchenko–Pastur law' };

/**
 * The SVG plot: a density histogram of the reported eigenvalues with the density of `law` drawn
 * over it, mapped to the scale of the eigenvalues ($\rho_\lambda(t) = \rho((t - \text{shift})/\text{scale})/\text{scale}$
 * when they are not normalised).
 */
export function spectrumPlot(config: SpectrumConfig, eigenvalues: Float64Array): string {
  const scales = lawScales(config);
  const law = config.wasserstein1Law === null ? null : config.wasserstein1Law === 'semicircle' ? scales.semicircle : scales.marchenkoPastur;
  // The map from the law's scale to the plotted one: the identity when the eigenvalues are normalised.
  const shift = law === null || config.normalize !== null ? 0 : law.shift;
  const scale = law === null || config.normalize !== null ? 1 : law.scale;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of eigenvalues) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (law !== null) {
    const [a, b] = lawSupport(law);
    lo = Math.min(lo, shift + scale * a);
    hi = Math.max(hi, shift + scale * b);
  }
  if (!(hi > lo)) {
    const pad = Math.max(0.5, Math.abs(lo) * 0.1);
    lo -= pad;
    hi += pad;
  }
  const { edges, density } = histogram(eigenvalues, { bins: config.bins, range: [lo, hi] });
  const what =
    config.source === 'goe' ? 'GOE matrix H' : config.source === 'weights' ? `WᵀW of ${config.weights ?? 'W'}` : 'Wishart matrix WᵀW';
  const sizes = config.source === 'goe' ? `n = ${config.d}` : `m = ${config.m}, d = ${config.d}`;
  const variable =
    config.normalize === null
      ? config.source === 'goe'
        ? 'eigenvalue of H'
        : 'eigenvalue of WᵀW'
      : config.normalize === 'marchenko-pastur'
        ? 'eigenvalue of WᵀW / m'
        : config.source === 'goe'
          ? 'eigenvalue of H / √n'
          : 'eigenvalue of (WᵀW − mI) / √(md)';
  let curve: { x: Float64Array; y: Float64Array; label: string } | undefined;
  if (law !== null) {
    const x = new Float64Array(CURVE_POINTS + 1);
    const y = new Float64Array(CURVE_POINTS + 1);
    for (let k = 0; k <= CURVE_POINTS; k++) {
      x[k] = lo + ((hi - lo) * k) / CURVE_POINTS;
      y[k] = lawDensity(law, (x[k]! - shift) / scale) / scale;
    }
    const gamma = law.law === 'marchenko-pastur' ? ` (γ = ${formatNumber(law.gamma)})` : '';
    curve = { x, y, label: `${LAW_TITLES[law.law]}${gamma}` };
  }
  return histogramSvg({
    edges,
    heights: density,
    ...(curve !== undefined ? { curve } : {}),
    barLabel: `eigenvalues (${eigenvalues.length}, ${config.bins} bins)`,
    title: `Spectrum of the ${what}, ${sizes}`,
    xLabel: variable,
    yLabel: 'density',
  });
}

function formatText(config: SpectrumConfig, result: SpectrumResult, written: string[]): string {
  const ev = result.eigenvalues;
  const lines: string[] = [];
  const what = config.source === 'weights' ? `WᵀW of --weights ${JSON.stringify(config.weights)}` : config.source === 'goe' ? 'GOE matrix H' : 'Wishart matrix WᵀW';
  const sizes = config.source === 'goe' ? `n = ${config.d}` : `m = ${config.m}, d = ${config.d}`;
  lines.push(`${what}: ${sizes}${config.seed !== null ? `, seed ${config.seed}` : ''}`);
  lines.push(`eigenvalues (${ev.length}, ${config.normalize === null ? 'unnormalised' : `normalised for the ${LAW_TITLES[config.normalize]}`}):`);
  lines.push(`  min ${formatNumber(ev[0]!)}  median ${formatNumber(ev[Math.floor((ev.length - 1) / 2)]!)}  max ${formatNumber(ev[ev.length - 1]!)}`);
  const rows: Array<[string, string, string]> = [
    ['KS to semicircle', formatNumber(result.ksSemicircle), config.source === 'goe' ? 'spectrum of H/√n' : 'spectrum of (WᵀW − mI)/√(md)'],
    ['KS to Marchenko–Pastur', formatNumber(result.ksMarchenkoPastur), result.ksMarchenkoPastur === null ? (config.source === 'goe' ? 'not a Wishart matrix' : 'needs d ≤ m') : `spectrum of WᵀW/m, γ = d/m = ${formatNumber(config.d / config.m!)}`],
    ['Wasserstein-1', formatNumber(result.wasserstein1), config.wasserstein1Law === null ? 'no law applies (d > m)' : `to the ${LAW_TITLES[config.wasserstein1Law]}, in its scale`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) lines.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  if (written.length > 0) lines.push(`wrote: ${written.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The `spectrum` command. */
export const spectrumCommand = defineCommand({
  name: 'spectrum',
  summary: 'spectrum of a Wishart or GOE matrix against the semicircle and Marchenko–Pastur laws',
  description: [
    'Takes the eigenvalues of a d×d matrix: WᵀW for W (m×d) with i.i.d. N(0, 1) entries',
    '(--ensemble wishart, the default), a GOE matrix H (--ensemble goe: off-diagonal N(0, 1),',
    'diagonal N(0, 2); its size n is --d), or WᵀW for the weights in --weights (which fix m and d).',
    '',
    'Scales (the mathematics guide, §1.3): the semicircle law on [−2, 2] is compared with the spectrum of',
    '(WᵀW − mI)/√(md) (of H/√n for GOE); Marchenko–Pastur with γ = d/m with the spectrum of WᵀW/m',
    '(d ≤ m only). --normalize semicircle|marchenko-pastur reports the eigenvalues in that scale;',
    'without it they are those of WᵀW (or H) itself. The two KS distances (sup |F_n − F|) do not',
    'depend on --normalize. wasserstein1 (∫|F_n − F|) is measured in the scale of the law picked',
    'by --normalize; without it, of Marchenko–Pastur for WᵀW with d ≤ m and of the semicircle for',
    'GOE. A value is null where its law does not apply: ksMarchenkoPastur for GOE or d > m, and',
    'wasserstein1 for WᵀW with d > m and no --normalize.',
    '',
    'JSON (--json): {"eigenvalues": [ascending], "ksSemicircle", "ksMarchenkoPastur", "wasserstein1"}.',
    '--out DIR writes spectrum.svg (a density histogram of the reported eigenvalues with the law of',
    'wasserstein1 drawn over it, in the same scale) and spectrum.json (config, seed, package',
    'versions, the result), each atomically, spectrum.json last.',
    'Defaults: d = 100, m = 10d, seed 0. --weights cannot be combined with --ensemble, --m, --d or',
    '--seed. Errors (conflicting flags, NaN/Inf or malformed files) print one line and exit with 2.',
  ].join('\n'),
  flags: {
    ensemble: { type: 'string', choices: ENSEMBLES, description: 'the random matrix: WᵀW with Gaussian W, or GOE (default wishart)' },
    m: { type: 'integer', min: 1, valueName: '<m>', description: `rows of W (wishart; default ${DEFAULT_ASPECT}d)` },
    d: { type: 'integer', min: 1, valueName: '<d>', description: `size of the d×d matrix; n for goe (default ${DEFAULT_SPECTRUM_D})` },
    seed: { type: 'integer', min: 0, valueName: '<s>', description: 'seed of the sampled matrix (default 0)' },
    weights: { type: 'string', valueName: '<file>', description: 'take the spectrum of WᵀW for these weights W (m×d) instead' },
    normalize: { type: 'string', choices: LAWS, description: 'report the eigenvalues in the scale of this law' },
    bins: { type: 'integer', min: 1, max: 10000, valueName: '<B>', description: 'histogram bins of the plot (default ⌈2√d⌉ in [10, 80])' },
    out: { type: 'string', valueName: '<dir>', description: 'write spectrum.json and spectrum.svg to this directory' },
    json: jsonFlag,
  },
  examples: [
    'shallowscape spectrum --m 4000 --d 200 --normalize semicircle --out runs/semicircle',
    'shallowscape spectrum --m 400 --d 200 --normalize marchenko-pastur --json',
    'shallowscape spectrum --ensemble goe --d 500 --out runs/goe',
    'shallowscape spectrum --weights runs/d8/W.npy --json',
  ],
  async run(ctx, { flags }) {
    const weightsPath = flags.weights;
    if (weightsPath !== undefined) {
      for (const flag of ['ensemble', 'm', 'd', 'seed'] as const) {
        const value = flags[flag];
        if (value !== undefined) {
          throw usageError(ctx, `--weights ${JSON.stringify(weightsPath)} and --${flag} ${value} cannot be used together (the weights file fixes the matrix and its sizes)`, `--${flag}`);
        }
      }
    }
    const ensemble = flags.ensemble ?? 'wishart';
    if (ensemble === 'goe' && flags.m !== undefined) {
      throw usageError(ctx, `--m ${flags.m} applies only to --ensemble wishart (a GOE matrix is n×n with n = --d)`, '--m');
    }
    if (ensemble === 'goe' && flags.normalize === 'marchenko-pastur') {
      throw usageError(ctx, `--normalize marchenko-pastur applies to Wishart matrices WᵀW, not to --ensemble goe`, '--normalize');
    }
    if (flags.out !== undefined) {
      const existing = await stat(flags.out).catch(() => undefined);
      if (existing !== undefined && !existing.isDirectory()) throw usageError(ctx, `--out ${JSON.stringify(flags.out)} exists and is not a directory`, '--out');
    }

    let source: SpectrumSource;
    if (weightsPath !== undefined) {
      const w = readMatrixFile(weightsPath, '--weights');
      if (w.rows === 0 || w.cols === 0) {
        throw new ShapeError(`--weights ${JSON.stringify(weightsPath)} is ${w.rows}×${w.cols}: W needs at least one row and one column (m, d ≥ 1)`, '--weights');
      }
      source = { source: 'weights', m: w.rows, d: w.cols, matrix: syrk(w, { transpose: true }) };
    } else {
      const d = flags.d ?? DEFAULT_SPECTRUM_D;
      const rng = createRng(flags.seed ?? 0);
      if (ensemble === 'goe') source = { source: 'goe', m: null, d, matrix: goeMatrix(d, rng) };
      else {
        const m = flags.m ?? DEFAULT_ASPECT * d;
        source = { source: 'wishart', m, d, matrix: wishartMatrix(m, d, rng) };
      }
    }
    const normalize = flags.normalize ?? null;
    if (normalize === 'marchenko-pastur' && source.m !== null && source.d > source.m) {
      throw usageError(
        ctx,
        `--normalize marchenko-pastur needs d ≤ m (γ = d/m ≤ 1), but ${source.source === 'weights' ? `--weights ${JSON.stringify(weightsPath)} is ${source.m}×${source.d}` : `m = ${source.m} < d = ${source.d}`}`,
        '--normalize',
      );
    }
    const law: LawName | null = normalize ?? (source.source === 'goe' ? 'semicircle' : source.d <= source.m! ? 'marchenko-pastur' : null);
    const result = spectrumOf(source, normalize, law);
    const config: SpectrumConfig = {
      source: source.source,
      weights: weightsPath ?? null,
      m: source.m,
      d: source.d,
      seed: weightsPath === undefined ? (flags.seed ?? 0) : null,
      normalize,
      wasserstein1Law: law,
      bins: flags.bins ?? defaultBins(source.d),
    };

    const written: string[] = [];
    if (flags.out !== undefined) {
      const dir = flags.out;
      await mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw usageError(ctx, `--out ${JSON.stringify(dir)}: cannot create the directory (${(error as Error).message})`, '--out');
      });
      await writeFileAtomic(join(dir, 'spectrum.svg'), spectrumPlot(config, result.eigenvalues));
      const record: SpectrumRecord = { ...result, config, versions: collectVersions(), files: { plot: 'spectrum.svg' } };
      await writeFileAtomic(join(dir, 'spectrum.json'), formatJson(record));
      written.push(join(dir, 'spectrum.svg'), join(dir, 'spectrum.json'));
    }
    ctx.stdout.write(flags.json ? formatJson(result) : formatText(config, result, written));
    return 0;
  },
});
