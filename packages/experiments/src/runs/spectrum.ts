/**
 * The spectrum run (`shallowscape spectrum`): the eigenvalues of a Wishart matrix $W^\top W$
 * (sampled, or of given weights) or of a GOE matrix, and their distances to the semicircle and
 * Marchenko–Pastur laws (the mathematics guide, §1.3).
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, createRng, eigvalsh, syrk, throwIfAborted } from '@shallowscape/linalg';
import {
  goeMatrix,
  ksToMarchenkoPastur,
  ksToSemicircle,
  wasserstein1ToMarchenkoPastur,
  wasserstein1ToSemicircle,
  wishartMatrix,
} from '@shallowscape/rmt';
import type { RunSignalOptions } from './certification';
import { withOverflowGuard } from './float-overflow-error';

/** The random ensembles a spectrum run samples. */
export const ENSEMBLES = ['wishart', 'goe'] as const;
/** The limiting laws a spectrum can be normalised to. */
export const LAWS = ['semicircle', 'marchenko-pastur'] as const;
/** A limiting law. */
export type LawName = (typeof LAWS)[number];

/** What a spectrum run reports (`spectrum --json`). */
export interface SpectrumResult {
  /** Eigenvalues, ascending: of the normalised matrix with `normalize`, of $W^\top W$ (or $H$) itself without. */
  eigenvalues: Float64Array;
  /** KS distance of the semicircle-normalised spectrum to the semicircle law. */
  ksSemicircle: number;
  /** KS distance of the spectrum of $W^\top W / m$ to Marchenko–Pastur with $\gamma = d/m$; `null` for GOE or $d > m$. */
  ksMarchenkoPastur: number | null;
  /** $W_1$ distance to the law `wasserstein1Law`, in that law's scale; `null` when there is none. */
  wasserstein1: number | null;
}

/** A spectrum run (`config` in `spectrum.json`): plain data; the weights of `source: "weights"` travel beside it. */
export interface SpectrumConfig {
  /** `"wishart"` or `"goe"` (sampled), or `"weights"` ($W^\top W$ of given weights). */
  source: 'wishart' | 'goe' | 'weights';
  /** The weights file's name, or `null`. */
  weights: string | null;
  /** Rows $m$ of $W$, or `null` for GOE. */
  m: number | null;
  /** Size $d$ of the $d \times d$ matrix (for GOE, $n$). */
  d: number;
  /** The seed of a sampled matrix, `null` for given weights. */
  seed: number | null;
  /** The scale of the reported eigenvalues, or `null` for the matrix's own. */
  normalize: LawName | null;
  /** The law `wasserstein1` (and a plot) compares to, or `null`. */
  wasserstein1Law: LawName | null;
  /** Histogram bins of a plot. */
  bins: number;
}

/** The affine map $x = (\lambda - \text{shift}) / \text{scale}$ from an eigenvalue to a law's scale. */
export interface LawScale {
  law: LawName;
  shift: number;
  scale: number;
  /** The Marchenko–Pastur ratio $\gamma = d/m$ (Marchenko–Pastur only; NaN otherwise). */
  gamma: number;
}

/**
 * The normalisations of the spectrum of a $d \times d$ matrix: the semicircle scale
 * $(\lambda - m)/\sqrt{md}$ for $W^\top W$ ($\lambda/\sqrt n$ for GOE), and the
 * Marchenko–Pastur scale $\lambda/m$ with $\gamma = d/m$ for $W^\top W$ with $d \le m$.
 *
 * @param source - where the matrix comes from, with $m$ (`null` for GOE) and $d$.
 * @returns the affine maps of both laws (`null` where a law does not apply).
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

/**
 * The spectrum result of a symmetric matrix: its eigenvalues, the KS distances to both laws (each
 * in its own scale, whatever `normalize` is) and the Wasserstein-1 distance to `law`.
 *
 * @param source - the $d \times d$ matrix and its origin ($m$ for $W^\top W$).
 * @param normalize - the scale of the reported eigenvalues, or `null` for the matrix's own.
 * @param law - the law of `wasserstein1` (`null`: none).
 * @param signal - polled by the eigensolver (`AbortedError` when aborted).
 * @returns the result; eigenvalues ascending.
 * @throws `NotSymmetricError` when the matrix is not symmetric; `AbortedError`.
 * @example
 * ```ts
 * Array.from(spectrumOf({ source: 'goe', m: null, d: 2, matrix: Matrix.from([[2, 0], [0, -2]]) }, null, null).eigenvalues); // => [-2, 2]
 * ```
 */
export function spectrumOf(
  source: { source: SpectrumConfig['source']; m: number | null; d: number; matrix: Matrix },
  normalize: LawName | null,
  law: LawName | null,
  signal?: AbortSignal,
): SpectrumResult {
  const raw = eigvalsh(source.matrix, { signal });
  const scales = lawScales(source);
  const semicircleValues = rescale(raw, scales.semicircle);
  const mpValues = scales.marchenkoPastur === null ? null : rescale(raw, scales.marchenkoPastur);
  const reported = normalize === null ? raw : normalize === 'semicircle' ? semicircleValues : mpValues;
  let wasserstein1: number | null = null;
  if (law === 'semicircle') wasserstein1 = wasserstein1ToSemicircle(semicircleValues);
  else if (law === 'marchenko-pastur' && mpValues !== null) wasserstein1 = wasserstein1ToMarchenkoPastur(mpValues, scales.marchenkoPastur!.gamma);
  return {
    eigenvalues: reported ?? raw,
    ksSemicircle: ksToSemicircle(semicircleValues),
    ksMarchenkoPastur: mpValues === null ? null : ksToMarchenkoPastur(mpValues, scales.marchenkoPastur!.gamma),
    wasserstein1,
  };
}

/**
 * The law a spectrum is compared to by default: the normalisation when given, else
 * Marchenko–Pastur for $W^\top W$ with $d \le m$ and the semicircle for GOE; `null` for $d > m$.
 *
 * @example
 * ```ts
 * defaultLaw({ source: 'wishart', m: 10, d: 20 }, null); // => null
 * ```
 */
export function defaultLaw(source: { source: SpectrumConfig['source']; m: number | null; d: number }, normalize: LawName | null): LawName | null {
  return normalize ?? (source.source === 'goe' ? 'semicircle' : source.d <= source.m! ? 'marchenko-pastur' : null);
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

/**
 * Runs a spectrum: samples the matrix of `config` (Wishart $W^\top W$ with i.i.d. $N(0, 1)$ $W$,
 * $m \times d$, or a GOE matrix, from `createRng(seed)`) or forms $W^\top W$ of the given weights,
 * and computes {@link spectrumOf}. The signal is checked after the sampling and the product and
 * once per column inside the eigensolver.
 *
 * @param config - the run (see {@link SpectrumConfig}).
 * @param weights - $W$ for `source: "weights"` ($m \times d$ as in the config).
 * @param options - `signal`.
 * @returns the result.
 * @throws `InvalidArgumentError` for an inconsistent configuration, `FloatOverflowError` when the
 *   weights overflow float64 arithmetic, `AbortedError` when aborted.
 * @example
 * ```ts
 * const config = { source: 'goe', weights: null, m: null, d: 50, seed: 1, normalize: 'semicircle', wasserstein1Law: 'semicircle', bins: 20 } as const;
 * computeSpectrum(config).eigenvalues.length; // => 50
 * ```
 */
export function computeSpectrum(config: SpectrumConfig, weights?: Matrix, options: RunSignalOptions = {}): SpectrumResult {
  const { d, m } = config;
  if (!Number.isInteger(d) || d < 1) throw new InvalidArgumentError('d', d, 'an integer ≥ 1');
  if (config.source !== 'goe' && (m === null || !Number.isInteger(m) || m < 1)) throw new InvalidArgumentError('m', m, 'an integer ≥ 1 for a Wishart matrix');
  if (config.normalize === 'marchenko-pastur' && (config.source === 'goe' || d > m!)) {
    throw new InvalidArgumentError('normalize', config.normalize, 'a Wishart matrix with d ≤ m');
  }
  let matrix: Matrix;
  if (config.source === 'weights') {
    if (weights === undefined || weights.rows !== m || weights.cols !== d) throw new InvalidArgumentError('weights', weights, `the ${m}×${d} weights of the configuration`);
    matrix = withOverflowGuard('WᵀW', ['weights'], () => syrk(weights, { transpose: true }));
  } else {
    const rng = createRng(config.seed ?? 0);
    matrix = config.source === 'goe' ? goeMatrix(d, rng) : wishartMatrix(m!, d, rng);
  }
  throwIfAborted(options.signal, 'the spectrum');
  const result = withOverflowGuard('the spectrum', ['weights'], () => spectrumOf({ source: config.source, m, d, matrix }, config.normalize, config.wasserstein1Law, options.signal));
  throwIfAborted(options.signal, 'the spectrum');
  return result;
}
