/**
 * `shallowscape eval`: the empirical risk, its gradient norm and (given a teacher) the population
 * risk of a quadratic, signed quadratic or two-layer network whose weights, data and labels are
 * files: flags → files → `evaluateQuadratic` or `evaluateTwoLayer` of `@shallowscape/experiments`.
 *
 * @packageDocumentation
 */
import { ShapeError, type Matrix } from '@shallowscape/linalg';
import { ACTIVATION_NAMES, PARAMETERIZATION_NAMES, POPULATION_MONTE_CARLO_SAMPLES, EVAL_MONTE_CARLO_SEED, evaluateQuadratic, evaluateTwoLayer, type EvaluationMetrics, type TwoLayerWeights } from '@shallowscape/experiments';
import { getBackend } from '@shallowscape/linalg';
import { evaluateQuadraticOnGpujs, evaluateTwoLayerOnGpujs } from '@shallowscape/gpujs';
import { nodeGpujsKernels } from '@shallowscape/gpujs/node';
import { evaluateQuadraticOnGpu, evaluateTwoLayerOnGpu } from '@shallowscape/webgpu';
import { nodeWebGpu } from '@shallowscape/webgpu/node';
import { defineCommand } from '../command';
import { overflowInFlags } from '../configs/overflow-error';
import { readSampleInputs, readTeacherAndSigns, readTeacherFile, requireSampleInputFlags, type SampleInputPaths } from '../configs/sample-inputs';
import { describeFile } from '../configs/size-agreement';
import { NETWORK_MODELS } from '../configs/train-flags';
import { UsageError } from '../errors';
import { formatJson, jsonFlag } from '../io/json-output';
import { matrixFileFormat, readVectorFile, writeMatrixFile, writeVectorFile } from '../io/matrix-file';
import { alignedRows } from '../output/aligned-rows';
import { formatNumber } from '../output/format-number';

/** What `eval` prints (its `--json` contract). */
export type EvalResult = EvaluationMetrics;

function formatText(result: EvalResult, info: { n: number; model: string; gradientNote: string; populationNote: string }): string {
  const rows = alignedRows([
    ['empirical risk', formatNumber(result.empiricalRisk), `(1/N) Σ (f(x_i) − y_i)², N = ${info.n}`],
    ['gradient norm', formatNumber(result.gradientNorm), info.gradientNote],
    ['population risk', formatNumber(result.populationRisk), info.populationNote],
  ]);
  return `${[`model: ${info.model}`, ...rows].join('\n')}\n`;
}

/** Checks that an output-weights file has one entry per row of its hidden-weights file, naming both. */
function checkOutputWeights(flag: string, path: string, v: Float64Array, weights: { flag: string; path: string; w: Matrix }): void {
  if (v.length !== weights.w.rows) {
    throw new ShapeError(
      `${flag} ${JSON.stringify(path)} has ${v.length} entries, but ${describeFile(weights.flag, weights.path, weights.w)} (m = ${weights.w.rows}): one output weight per hidden unit`,
      flag,
    );
  }
}

/** The flags of `eval` that {@link checkEvalFlags} checks. */
export interface EvalFlags {
  model: string;
  weights?: string | undefined;
  data?: string | undefined;
  labels?: string | undefined;
  teacher?: string | undefined;
  'output-signs'?: string | undefined;
  activation?: string | undefined;
  parameterization?: string | undefined;
  'output-weights'?: string | undefined;
  'teacher-output-weights'?: string | undefined;
  'grad-out'?: string | undefined;
  'output-grad-out'?: string | undefined;
}

/**
 * The checks `eval` makes of its flags before it reads a file: the required inputs, flags that
 * apply to one model only, and the formats of the gradient files it would write. A sweep makes the
 * same checks of every grid point before its first run.
 *
 * @param commandPath - the command as the user typed it, for the `--help` hint.
 * @param flags - the parsed flags.
 * @returns the paths of $W$, $X$ and $y$.
 * @throws {@link UsageError} naming the offending flag.
 */
export function checkEvalFlags(commandPath: string, flags: EvalFlags): SampleInputPaths {
  const paths = requireSampleInputFlags(commandPath, flags);
  const model = flags.model;
  const hint = `; see '${commandPath} --help'`;
  if (model !== 'two-layer') {
    for (const flag of ['activation', 'parameterization', 'output-weights', 'teacher-output-weights', 'output-grad-out'] as const) {
      if (flags[flag] !== undefined) throw new UsageError(`--${flag} applies only to --model two-layer (got --model ${model})${hint}`, `--${flag}`);
    }
  } else {
    if (flags['output-weights'] === undefined) throw new UsageError(`missing required flag --output-weights <file> (the output layer a, length m) for --model two-layer${hint}`, '--output-weights');
    if ((flags.teacher === undefined) !== (flags['teacher-output-weights'] === undefined)) {
      const [given, missing] = flags.teacher !== undefined ? ['--teacher', '--teacher-output-weights'] : ['--teacher-output-weights', '--teacher'];
      throw new UsageError(`${given} needs ${missing} as well with --model two-layer (the teacher is W* and a*)${hint}`, missing);
    }
  }
  const gradOut = flags['grad-out'];
  if (gradOut !== undefined) matrixFileFormat(gradOut, '--grad-out');
  const outputGradOut = flags['output-grad-out'];
  if (outputGradOut !== undefined) matrixFileFormat(outputGradOut, '--output-grad-out');

  return paths;
}

/** The evaluations on a device (`--backend webgpu|gpujs`): the empirical risk and gradients in float32 there. */
interface DeviceEvaluation {
  quadratic: (w: Matrix, x: Matrix, y: Float64Array, options: { signs?: Float64Array; teacher?: Matrix }) => ReturnType<typeof evaluateQuadraticOnGpu>;
  twoLayer: (net: TwoLayerWeights, x: Matrix, y: Float64Array, options: Parameters<typeof evaluateTwoLayerOnGpu>[4]) => ReturnType<typeof evaluateTwoLayerOnGpu>;
}

/**
 * Checks that an evaluation is one the device kernels of `--backend webgpu|gpujs` compute: a
 * quadratic, signed quadratic or two-layer ReLU network. `sweep` checks every grid point with it.
 *
 * @param commandPath - `shallowscape eval`, for the hint.
 * @param backend - the device backend's name.
 * @param flags - the parsed flags.
 * @throws {@link UsageError} naming `--activation`.
 */
export function checkDeviceEvaluation(commandPath: string, backend: string, flags: EvalFlags): void {
  if (flags.model === 'two-layer' && (flags.activation ?? 'relu') !== 'relu') {
    throw new UsageError(`--backend ${backend} evaluates two-layer networks with --activation relu (got ${flags.activation}); other activations run on the float64 backends; see '${commandPath} --help'`, '--activation');
  }
}

/** The device of `--backend webgpu|gpujs`, or the usage error saying why there is none. */
async function deviceEvaluation(backend: 'webgpu' | 'gpujs'): Promise<DeviceEvaluation> {
  if (backend === 'gpujs') {
    const kernels = await nodeGpujsKernels();
    if ('unavailable' in kernels) throw new UsageError(`--backend gpujs: ${kernels.unavailable}`, '--backend');
    return {
      quadratic: (w, x, y, options) => evaluateQuadraticOnGpujs(kernels, w, x, y, options),
      twoLayer: (net, x, y, options) => evaluateTwoLayerOnGpujs(kernels, net, x, y, options),
    };
  }
  const device = await nodeWebGpu();
  if (!device.available) throw new UsageError(`--backend webgpu: no WebGPU device here: ${device.reason}`, '--backend');
  return {
    quadratic: (w, x, y, options) => evaluateQuadraticOnGpu(device.kernels, w, x, y, options),
    twoLayer: (net, x, y, options) => evaluateTwoLayerOnGpu(device.kernels, net, x, y, options),
  };
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
    'or for N = 0, NaN/Inf entries, values whose risk overflows float64, or an unreadable file, it',
    'prints one line and exits with 2. --grad-out writes ∇_W L̂(W) (m×d) atomically, in the format',
    'its extension names.',
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
    const paths = checkEvalFlags(ctx.commandPath, flags);
    const model = flags.model;
    const gradOut = flags['grad-out'];
    const outputGradOut = flags['output-grad-out'];
    // --backend webgpu|gpujs: the empirical risk and gradient on the device.
    let onDevice: DeviceEvaluation | null = null;
    const backendName = getBackend().name;
    if (backendName === 'webgpu' || backendName === 'gpujs') {
      checkDeviceEvaluation(ctx.commandPath, backendName, flags);
      onDevice = await deviceEvaluation(backendName);
    }
    const { w, x, y } = readSampleInputs(paths, 'the empirical risk needs at least one');
    const names = {
      weights: `--weights ${JSON.stringify(paths.weights)}`,
      inputs: `--data ${JSON.stringify(paths.data)}`,
      labels: `--labels ${JSON.stringify(paths.labels)}`,
      teacher: flags.teacher !== undefined ? `--teacher ${JSON.stringify(flags.teacher)}` : undefined,
      outputWeights: flags['output-weights'] !== undefined ? `--output-weights ${JSON.stringify(flags['output-weights'])}` : undefined,
      teacherOutputWeights: flags['teacher-output-weights'] !== undefined ? `--teacher-output-weights ${JSON.stringify(flags['teacher-output-weights'])}` : undefined,
    };
    let output: EvalResult;
    let info: { gradientNote: string; populationNote: string };
    if (model === 'two-layer') {
      const outputPath = flags['output-weights']!;
      const a = readVectorFile(outputPath, '--output-weights');
      checkOutputWeights('--output-weights', outputPath, a, { flag: '--weights', path: paths.weights, w });
      let teacher: { w: Matrix; a: Float64Array } | undefined;
      if (flags.teacher !== undefined && flags['teacher-output-weights'] !== undefined) {
        const tw = readTeacherFile(flags.teacher, paths.weights, w);
        const ta = readVectorFile(flags['teacher-output-weights'], '--teacher-output-weights');
        checkOutputWeights('--teacher-output-weights', flags['teacher-output-weights'], ta, { flag: '--teacher', path: flags.teacher, w: tw });
        teacher = { w: tw, a: ta };
      }
      const activation = flags.activation ?? 'relu';
      const parameterization = flags.parameterization ?? 'ntk';
      let result;
      try {
        const options = { activation, parameterization, ...(teacher !== undefined ? { teacher } : {}) };
        result = onDevice !== null ? await onDevice.twoLayer({ w, a }, x, y, options) : evaluateTwoLayer({ w, a }, x, y, options);
      } catch (error) {
        throw overflowInFlags(error, names);
      }
      if (gradOut !== undefined) await writeMatrixFile(gradOut, result.gradientHidden, '--grad-out');
      if (outputGradOut !== undefined) await writeVectorFile(outputGradOut, result.gradientOutput, '--output-grad-out');
      output = { empiricalRisk: result.empiricalRisk, gradientNorm: result.gradientNorm, populationRisk: result.populationRisk };
      info = {
        gradientNote: `‖(∇_W L̂, ∇_a L̂)‖, W is ${w.rows}×${w.cols}, a has ${w.rows}`,
        populationNote:
          teacher === undefined
            ? 'needs --teacher and --teacher-output-weights'
            : result.populationRiskStandardError === 0
              ? `exact, Gaussian inputs, teacher ${JSON.stringify(flags.teacher)}`
              : `Monte Carlo (${POPULATION_MONTE_CARLO_SAMPLES} samples, seed ${EVAL_MONTE_CARLO_SEED}) ± ${formatNumber(result.populationRiskStandardError)}`,
      };
    } else {
      const { teacher, signs } = readTeacherAndSigns(flags, w, paths.weights);
      let result;
      try {
        result = await (onDevice?.quadratic ?? evaluateQuadratic)(w, x, y, { ...(signs !== undefined ? { signs } : {}), ...(teacher !== undefined ? { teacher } : {}) });
      } catch (error) {
        throw overflowInFlags(error, names);
      }
      if (gradOut !== undefined) await writeMatrixFile(gradOut, result.gradient, '--grad-out');
      output = { empiricalRisk: result.empiricalRisk, gradientNorm: result.gradientNorm, populationRisk: result.populationRisk };
      info = {
        gradientNote: `‖∇_W L̂(W)‖_F, W is ${w.rows}×${w.cols}`,
        populationNote: flags.teacher === undefined ? 'needs --teacher' : `Gaussian inputs, teacher ${JSON.stringify(flags.teacher)}`,
      };
    }
    ctx.stdout.write(flags.json ? formatJson(output) : formatText(output, { n: x.rows, model, ...info }));
    return 0;
  },
});
