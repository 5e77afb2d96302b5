/**
 * `shallowscape eval`: the empirical risk, its gradient norm and (given a teacher) the population
 * risk of a quadratic, signed quadratic or two-layer network whose weights, data and labels are
 * files (the two-layer parts are in `two-layer-setup.ts`).
 *
 * @packageDocumentation
 */
import { Matrix, ShapeError, frobeniusNorm } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, QuadraticPopulationRisk } from '@shallowscape/model';
import { defineCommand } from '../command';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { FileFormatError } from '../io/file-format-error';
import { formatJson, jsonFlag } from '../io/json-output';
import { matrixFileFormat, readVectorFile, writeMatrixFile } from '../io/matrix-file';
import { ACTIVATION_NAMES, NETWORK_MODELS, PARAMETERIZATION_NAMES, type NetworkModelName } from './two-layer-options';
import { readSampleInputs, readTeacherAndSigns, requireSampleInputFlags } from './quadratic-inputs';
import { runTwoLayerEval } from './two-layer-setup';

/** The models `eval` and `train` know. */
export const MODELS = ['quadratic', 'signed-quadratic'] as const;
/** A model name. */
export type ModelName = (typeof MODELS)[number];


/** What `eval` prints (its `--json` contract). */
export interface EvalResult {
  /** $\hat L(W) = \frac1N \sum_i (f_W(x_i) - y_i)^2$. */
  empiricalRisk: number;
  /** $\|\nabla_W \hat L(W)\|_F$ for quadratic models; over both layers, $\sqrt{\|\nabla_W \hat L\|_F^2 + \|\nabla_a \hat L\|^2}$, for two-layer ones. */
  gradientNorm: number;
  /** $L(W)$ for Gaussian inputs against the teacher, or `null` without `--teacher`. */
  populationRisk: number | null;
}

/** Formats a number for text tables: 7 significant digits, exponent form when tiny or huge. */
export function formatNumber(x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e7 ? x.toExponential(6) : String(Number(x.toPrecision(7)));
}

/** `"W.npy" (4×3)`, for messages. */
export function describeFile(flag: string, path: string, m: { rows: number; cols: number }): string {
  return `${flag} ${JSON.stringify(path)} is ${m.rows}×${m.cols}`;
}

/**
 * Reads `--output-signs`: a vector of ±1 of length `width`.
 * @throws {@link FileFormatError} for an entry other than ±1; {@link ShapeError} for a wrong length.
 */
export function readSignsFile(path: string, flag: string, width: number, widthSource: string): Float64Array {
  const signs = readVectorFile(path, flag);
  const bad = signs.findIndex((s) => s !== 1 && s !== -1);
  if (bad !== -1) throw new FileFormatError(path, `entry [${bad}] is ${signs[bad]}, but output signs must be +1 or -1`, flag);
  if (signs.length !== width) {
    throw new ShapeError(`${flag} ${JSON.stringify(path)} has ${signs.length} entries, but ${widthSource} (m = ${width}): one sign per hidden unit`, flag);
  }
  return signs;
}

/** Throws a {@link UsageError} naming `flag` when `value` is missing. */
export function requireFlag(ctx: CommandContext, flag: string, value: string | undefined, placeholder: string): string {
  if (value === undefined) throw new UsageError(`missing required flag --${flag} ${placeholder}; see '${ctx.commandPath} --help'`, `--${flag}`);
  return value;
}

/**
 * Evaluates a quadratic network ($v = \mathbf 1$) or signed quadratic network on data: the risk
 * $\hat L(W) = \frac1N\sum_i (x_i^\top W^\top \operatorname{diag}(v) W x_i - y_i)^2$, its gradient
 * $\nabla \hat L(W) = \frac4N \operatorname{diag}(v) W S$ with $S = X^\top \operatorname{diag}(e) X$,
 * and with a teacher the Gaussian-input population risk $2\|\Delta\|_F^2 + (\operatorname{tr}\Delta)^2$,
 * $\Delta = Q - W^{*\top}W^*$ (the mathematics guide, §1).
 *
 * @param w - weights $W$, $m \times d$.
 * @param x - inputs $X$, $N \times d$ ($N \ge 1$).
 * @param y - labels, length $N$.
 * @param options - `signs` $v$ (length $m$) and `teacher` $W^*$ ($m^* \times d$, output signs $+1$).
 * @returns the three metrics and the gradient matrix ($m \times d$).
 */
export function evaluateQuadratic(
  w: Matrix,
  x: Matrix,
  y: Float64Array,
  options: { signs?: Float64Array; teacher?: Matrix } = {},
): EvalResult & { gradient: Matrix } {
  const objective = new QuadraticEmpiricalRisk(x, y, w.rows, options.signs !== undefined ? { signs: options.signs } : {});
  const empiricalRisk = objective.risk(w);
  const gradient = objective.riskGradient(w);
  const populationRisk =
    options.teacher === undefined
      ? null
      : new QuadraticPopulationRisk(options.teacher, w.rows, options.signs !== undefined ? { signs: options.signs } : {}).risk(w);
  return { empiricalRisk, gradientNorm: frobeniusNorm(gradient), populationRisk, gradient };
}

function formatText(
  result: EvalResult,
  info: { n: number; m: number; d: number; model: NetworkModelName; teacher?: string; gradientNote?: string; populationNote?: string },
): string {
  const rows: Array<[string, string, string]> = [
    ['empirical risk', formatNumber(result.empiricalRisk), `(1/N) Σ (f(x_i) − y_i)², N = ${info.n}`],
    ['gradient norm', formatNumber(result.gradientNorm), info.gradientNote ?? `‖∇_W L̂(W)‖_F, W is ${info.m}×${info.d}`],
    [
      'population risk',
      formatNumber(result.populationRisk),
      info.populationNote ?? (info.teacher === undefined ? 'needs --teacher' : `Gaussian inputs, teacher ${JSON.stringify(info.teacher)}`),
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return `${[`model: ${info.model}`, ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`)].join('\n')}\n`;
}

/** The `eval` command. */
export const evalCommand = defineCommand({
  name: 'eval',
  summary: 'evaluate a quadratic or two-layer network on data: empirical risk, gradient norm, population risk',
  description: [
    'Reads the hidden weights W (m×d), the inputs X (N×d, samples as rows) and the labels y (N,',
    'or N×1) from .npy, .csv or .json files and prints',
    '  empiricalRisk    (1/N) Σ_i (f(x_i) − y_i)²  with f(x) = xᵀ Wᵀ diag(v) W x',
    '  gradientNorm     ‖∇_W L̂(W)‖_F  (Frobenius norm of (4/N) diag(v) W Xᵀ diag(e) X)',
    '  populationRisk   with --teacher W*: 2‖Δ‖_F² + (tr Δ)², Δ = Wᵀ diag(v) W − W*ᵀW*, the exact',
    '                   risk for inputs x ~ N(0, I_d) and noiseless teacher labels; null without it.',
    'With --model quadratic all output signs v are +1. With --model signed-quadratic the signs come',
    'from --output-signs (a vector of ±1, one per row of W), by default the first ⌈m/2⌉ +1 and the',
    'rest −1. The teacher is always an all-positive quadratic network.',
    '',
    'JSON (--json): {"empiricalRisk": number, "gradientNorm": number, "populationRisk": number|null}.',
    'The shapes must agree (W and X have d columns, y has N entries, W* has d columns); otherwise,',
    'or for N = 0, NaN/Inf entries or an unreadable file, it prints one line and exits with 2.',
    '--grad-out writes ∇_W L̂(W) (m×d) atomically, in the format its extension names.',
    '',
    'Two-layer networks (--model two-layer): f(x) = s Σ_r a_r σ(w_r·x) with σ from --activation',
    '(default relu) and s from --parameterization (ntk 1/√m (default), mean-field 1/m, standard 1);',
    '--output-weights a (length m) is required. gradientNorm is the norm over both layers,',
    '√(‖∇_W L̂‖_F² + ‖∇_a L̂‖²); --grad-out writes ∇_W L̂ (m×d), --output-grad-out ∇_a L̂ (m).',
    'With --teacher W* and --teacher-output-weights a* (a teacher of the same activation and',
    'parameterisation), populationRisk is E(f(x) − f*(x))² for x ~ N(0, I_d): exact for relu and erf',
    '(arc-cosine and arcsine kernels), a Monte Carlo estimate (1e5 samples, seed 0) otherwise.',
  ].join('\n'),
  flags: {
    model: {
      type: 'string',
      choices: NETWORK_MODELS,
      default: 'quadratic',
      description: 'the network: all output signs +1, fixed signs ±1, or two-layer s Σ a_r σ(w_r·x)',
    },
    activation: { type: 'string', choices: ACTIVATION_NAMES, description: 'two-layer only: the activation σ (default relu)' },
    parameterization: { type: 'string', choices: PARAMETERIZATION_NAMES, description: 'two-layer only: s = 1/√m, 1/m or 1 (default ntk)' },
    weights: { type: 'string', valueName: '<file>', description: 'hidden weights W, m×d (.npy, .csv or .json; required)' },
    data: { type: 'string', valueName: '<file>', description: 'inputs X, N×d, one sample per row (required)' },
    labels: { type: 'string', valueName: '<file>', description: 'labels y, shape (N,) or (N, 1) (required)' },
    'output-weights': { type: 'string', valueName: '<file>', description: 'two-layer only: output weights a, length m (required for two-layer)' },
    teacher: { type: 'string', valueName: '<file>', description: 'teacher weights W*, m*×d: adds the population risk' },
    'teacher-output-weights': { type: 'string', valueName: '<file>', description: 'two-layer only: teacher output weights a*, length m* (with --teacher)' },
    'output-signs': { type: 'string', valueName: '<file>', description: 'output signs v (±1, length m) for --model signed-quadratic' },
    'grad-out': { type: 'string', valueName: '<file>', description: 'write the gradient ∇_W L̂(W) (m×d) to this file' },
    'output-grad-out': { type: 'string', valueName: '<file>', description: 'two-layer only: write the gradient ∇_a L̂ (length m) to this file' },
    json: jsonFlag,
  },
  examples: [
    'shallowscape eval --weights W.npy --data X.npy --labels y.npy --json',
    'shallowscape eval --weights run/W.npy --data run/X.npy --labels run/y.npy --teacher run/teacher.npy',
    'shallowscape eval --model signed-quadratic --weights W.npy --output-signs v.npy --data X.npy --labels y.npy',
    'shallowscape eval --model two-layer --weights W.npy --output-weights a.npy --data X.npy --labels y.npy --json',
  ],
  async run(ctx, { flags }) {
    const paths = requireSampleInputFlags(ctx, flags);
    const model = flags.model;
    if (model !== 'two-layer') {
      for (const flag of ['activation', 'parameterization', 'output-weights', 'teacher-output-weights', 'output-grad-out'] as const) {
        if (flags[flag] !== undefined) {
          throw new UsageError(`--${flag} applies only to --model two-layer (got --model ${model}); see '${ctx.commandPath} --help'`, `--${flag}`);
        }
      }
    }
    const gradOut = flags['grad-out'];
    if (gradOut !== undefined) matrixFileFormat(gradOut, '--grad-out');
    const outputGradOut = flags['output-grad-out'];
    if (outputGradOut !== undefined) matrixFileFormat(outputGradOut, '--output-grad-out');

    const { w, x, y } = readSampleInputs(paths, 'the empirical risk needs at least one');
    if (model === 'two-layer') {
      return runTwoLayerEval(ctx, { ...flags, ...paths }, { w, x, y }, (result, note) =>
        formatText(result, { n: x.rows, m: w.rows, d: w.cols, model, gradientNote: `‖(∇_W L̂, ∇_a L̂)‖, W is ${w.rows}×${w.cols}, a has ${w.rows}`, populationNote: note }),
      );
    }
    const { teacher, signs } = readTeacherAndSigns(flags, w, paths.weights);

    const { gradient, ...result } = evaluateQuadratic(w, x, y, { ...(signs !== undefined ? { signs } : {}), ...(teacher !== undefined ? { teacher } : {}) });
    if (gradOut !== undefined) await writeMatrixFile(gradOut, gradient, '--grad-out');
    const output: EvalResult = { empiricalRisk: result.empiricalRisk, gradientNorm: result.gradientNorm, populationRisk: result.populationRisk };
    ctx.stdout.write(
      flags.json
        ? formatJson(output)
        : formatText(output, { n: x.rows, m: w.rows, d: w.cols, model, ...(flags.teacher !== undefined ? { teacher: flags.teacher } : {}) }),
    );
    return 0;
  },
});
