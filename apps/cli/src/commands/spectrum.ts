/**
 * `shallowscape spectrum`: flags → a spectrum configuration → `computeSpectrum` of
 * `@shallowscape/experiments` (the eigenvalues of a Wishart matrix $W^\top W$, sampled or of given
 * weights, or of a GOE matrix, and their Kolmogorov–Smirnov and Wasserstein-1 distances to the
 * semicircle and Marchenko–Pastur laws; the mathematics guide, §1.3) → the report, and with `--out`
 * a JSON record and an SVG histogram with the law's density drawn over it.
 *
 * @packageDocumentation
 */
import { ShapeError, type Matrix } from '@shallowscape/linalg';
import { ENSEMBLES, LAWS, computeSpectrum, spectrumCost, defaultBins, defaultLaw, type SpectrumConfig, type SpectrumResult } from '@shallowscape/experiments';
import { renderSvg, reportHtml, spectrumFigure } from '@shallowscape/figures';
import { defineCommand } from '../command';
import { overflowInFlags } from '../configs/overflow-error';
import { usageError } from '../errors';
import { formatJson, jsonFlag } from '../io/json-output';
import { readMatrixFile } from '../io/matrix-file';
import { prepareRunDirectory } from '../io/run-directory';
import { checkRunCost, formatSizeFlags } from '../resources/memory-budget';
import { alignedRows } from '../output/aligned-rows';
import { spectrumSummary } from '../output/format-spectrum';
import { commandLine } from '../output/shell-words';
import { reportFlag, reportPathIn, writeReport } from '../report/report-file';
import { spectrumReport } from '../report/spectrum-report';
import { collectVersions, type Versions } from '../versions';

/** Default size $d$ (the matrix is $d \times d$). */
export const DEFAULT_SPECTRUM_D = 100;
/** Default Wishart aspect ratio: $m = 10 d$. */
export const DEFAULT_ASPECT = 10;

/** The contents of `spectrum.json` in `--out DIR`. */
export interface SpectrumRecord extends SpectrumResult {
  config: SpectrumConfig;
  versions: Versions;
  /** The files written beside `spectrum.json`. */
  files: Record<string, string>;
}

function formatText(config: SpectrumConfig, result: SpectrumResult, written: string[]): string {
  const { lines, rows } = spectrumSummary(config, result);
  lines.push(...alignedRows(rows));
  if (written.length > 0) lines.push(`wrote: ${written.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The flags of `spectrum` that {@link checkSpectrumFlags} checks. */
export interface SpectrumFlags {
  ensemble?: string | undefined;
  m?: number | undefined;
  d?: number | undefined;
  seed?: number | undefined;
  weights?: string | undefined;
  normalize?: string | undefined;
}

/**
 * The checks `spectrum` makes of its flags before it reads a file or samples a matrix: flags that
 * cannot be combined, and `--normalize marchenko-pastur` with $d > m$ for a sampled Wishart matrix.
 * A sweep makes the same checks of every grid point before its first run.
 *
 * @param commandPath - the command as the user typed it, for the `--help` hint.
 * @param flags - the parsed flags.
 * @throws {@link UsageError} naming the offending flag.
 *
 * @example
 * ```ts
 * checkSpectrumFlags('shallowscape spectrum', { m: 400, d: 200, normalize: 'marchenko-pastur' }); // => undefined
 * checkSpectrumFlags('shallowscape spectrum', { m: 100, d: 200, normalize: 'marchenko-pastur' }); // throws UsageError
 * ```
 */
export function checkSpectrumFlags(commandPath: string, flags: SpectrumFlags): void {
  const ctx = { commandPath };
  const weightsPath = flags.weights;
  if (weightsPath !== undefined) {
    for (const flag of ['ensemble', 'm', 'd', 'seed'] as const) {
      const value = flags[flag];
      if (value !== undefined) {
        throw usageError(ctx, `--weights ${JSON.stringify(weightsPath)} and --${flag} ${value} cannot be used together (the weights file fixes the matrix and its sizes)`, `--${flag}`);
      }
    }
    return;
  }
  const ensemble = flags.ensemble ?? 'wishart';
  if (ensemble === 'goe' && flags.m !== undefined) {
    throw usageError(ctx, `--m ${flags.m} applies only to --ensemble wishart (a GOE matrix is n×n with n = --d)`, '--m');
  }
  if (ensemble === 'goe' && flags.normalize === 'marchenko-pastur') {
    throw usageError(ctx, `--normalize marchenko-pastur applies to Wishart matrices WᵀW, not to --ensemble goe`, '--normalize');
  }
  if (ensemble === 'wishart' && flags.normalize === 'marchenko-pastur') {
    const d = flags.d ?? DEFAULT_SPECTRUM_D;
    const m = flags.m ?? DEFAULT_ASPECT * d;
    if (d > m) throw usageError(ctx, `--normalize marchenko-pastur needs d ≤ m (γ = d/m ≤ 1), but m = ${m} < d = ${d}`, '--normalize');
  }
}

/**
 * The memory a sampled spectrum needs, for the checks before it runs (a `--weights` file's sizes are
 * known only once its header is read).
 *
 * @param flags - the parsed flags.
 * @returns the estimate and the flags it comes from, or `undefined` for `--weights`.
 */
export function sampledSpectrumCost(flags: SpectrumFlags): { estimate: ReturnType<typeof spectrumCost>; cause: string } | undefined {
  if (flags.weights !== undefined) return undefined;
  const d = flags.d ?? DEFAULT_SPECTRUM_D;
  const m = (flags.ensemble ?? 'wishart') === 'goe' ? null : (flags.m ?? DEFAULT_ASPECT * d);
  return { estimate: spectrumCost({ m, d }), cause: formatSizeFlags({ m: flags.m, d }) };
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
    'versions, the result), each atomically, spectrum.json last. --report writes report.html (the',
    'distances, the figure, the configuration; one self-contained page) into --out, or here.',
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
    report: reportFlag,
    json: jsonFlag,
  },
  examples: [
    'shallowscape spectrum --m 4000 --d 200 --normalize semicircle --out runs/semicircle',
    'shallowscape spectrum --m 400 --d 200 --normalize marchenko-pastur --json',
    'shallowscape spectrum --ensemble goe --d 500 --out runs/goe',
    'shallowscape spectrum --weights runs/d8/W.npy --json',
  ],
  async run(ctx, { flags }) {
    checkSpectrumFlags(ctx.commandPath, flags);
    const weightsPath = flags.weights;
    const ensemble = flags.ensemble ?? 'wishart';
    let weights: Matrix | undefined;
    let source: Pick<SpectrumConfig, 'source' | 'm' | 'd'>;
    if (weightsPath !== undefined) {
      weights = readMatrixFile(weightsPath, '--weights');
      if (weights.rows === 0 || weights.cols === 0) {
        throw new ShapeError(`--weights ${JSON.stringify(weightsPath)} is ${weights.rows}×${weights.cols}: W needs at least one row and one column (m, d ≥ 1)`, '--weights');
      }
      source = { source: 'weights', m: weights.rows, d: weights.cols };
    } else {
      const d = flags.d ?? DEFAULT_SPECTRUM_D;
      source = ensemble === 'goe' ? { source: 'goe', m: null, d } : { source: 'wishart', m: flags.m ?? DEFAULT_ASPECT * d, d };
    }
    const normalize = flags.normalize ?? null;
    if (normalize === 'marchenko-pastur' && source.source === 'weights' && source.d > source.m!) {
      throw usageError(ctx, `--normalize marchenko-pastur needs d ≤ m (γ = d/m ≤ 1), but --weights ${JSON.stringify(weightsPath)} is ${source.m}×${source.d}`, '--normalize');
    }
    const config: SpectrumConfig = {
      ...source,
      weights: weightsPath ?? null,
      seed: weightsPath === undefined ? (flags.seed ?? 0) : null,
      normalize,
      wasserstein1Law: defaultLaw(source, normalize),
      bins: flags.bins ?? defaultBins(source.d),
    };
    checkRunCost(spectrumCost({ m: source.m, d: source.d }), source.source === 'weights' ? `--weights ${JSON.stringify(weightsPath)}` : formatSizeFlags({ m: flags.m, d: source.d }), ctx);
    const reportPath = flags.report && flags.out === undefined ? reportPathIn() : undefined;
    const out = flags.out === undefined ? undefined : await prepareRunDirectory(flags.out, '--out', weightsPath !== undefined ? { inputs: [{ flag: '--weights', path: weightsPath }] } : {});
    let result: SpectrumResult;
    try {
      result = computeSpectrum(config, weights, { signal: ctx.signal });
    } catch (error) {
      await out?.abandon();
      throw overflowInFlags(error, { weights: `--weights ${JSON.stringify(weightsPath)}` });
    }

    const written: string[] = [];
    const figure = flags.report || out !== undefined ? await renderSvg(spectrumFigure(config, result)) : '';
    if (flags.report) {
      const html = reportHtml(spectrumReport(config, result, figure, commandLine(['shallowscape', ...ctx.argv]), collectVersions()));
      const path = await writeReport(html, out ?? reportPath!);
      if (out === undefined) written.push(path);
    }
    if (out !== undefined) {
      await out.writeFile('plot', 'spectrum.svg', figure);
      const record: SpectrumRecord = { ...result, config, versions: collectVersions(), files: out.files as SpectrumRecord['files'] };
      await out.complete('spectrum.json', record);
      written.push(...out.written);
    }
    ctx.stdout.write(flags.json ? formatJson(result) : formatText(config, result, written));
    return 0;
  },
});
