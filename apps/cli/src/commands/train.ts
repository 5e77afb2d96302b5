/**
 * `shallowscape train`: flags → a training run (`configs/train-flags.ts`) → `trainQuadratic` or
 * `trainTwoLayer` of `@shallowscape/experiments` → the report on stdout and, with `--out`, a run
 * directory.
 *
 * Every input is validated, and `--out` prepared, before anything is computed; Ctrl-C or SIGTERM
 * stops the optimiser at the next iterate and what was reached is still written.
 *
 * @packageDocumentation
 */
import { ShallowscapeError } from '@shallowscape/linalg';
import {
  quadraticTrainingCost,
  trainQuadratic,
  trainTwoLayer,
  twoLayerTrainingCost,
  type QuadraticTrainingOutput,
  type QuadraticTrainingResult,
  type TwoLayerTrainingOutput,
  type TwoLayerTrainingResult,
} from '@shallowscape/experiments';
import { DivergenceError, type StepInfo } from '@shallowscape/optim';
import { defineCommand } from '../command';
import { fileFlag, overflowInFlags } from '../configs/overflow-error';
import { resolveTraining, trainFlags, type TrainFlags, type TrainingRun } from '../configs/train-flags';
import { formatJson } from '../io/json-output';
import { getBackend } from '@shallowscape/linalg';
import { trainQuadraticOnGpujs, trainTwoLayerOnGpujs } from '@shallowscape/gpujs';
import { nodeGpujsKernels } from '@shallowscape/gpujs/node';
import { trainQuadraticOnGpu, trainTwoLayerOnGpu } from '@shallowscape/webgpu';
import { nodeWebGpu } from '@shallowscape/webgpu/node';
import { UsageError } from '../errors';
import { reportHtml } from '@shallowscape/figures';
import { commandLine } from '../output/shell-words';
import { reportPathIn, writeReport } from '../report/report-file';
import { trainingReport } from '../report/training-report';
import { collectVersions } from '../versions';
import { formatCertificate } from '../output/format-certificate';
import { formatNumber } from '../output/format-number';
import { formatQuadraticTraining, formatTwoLayerTraining } from '../output/format-training';
import { ProgressReporter } from '../output/progress-reporter';
import { prepareRunDirectory } from '../io/run-directory';
import { writeTrainingRun, type RunArray, type RunRecordFields } from '../io/training-run-record';
import { checkRunCost, formatSizeFlags } from '../resources/memory-budget';

/** The contents of `run.json` of a quadratic run. */
export type RunRecord = QuadraticTrainingOutput & RunRecordFields;
/** The contents of `run.json` of a two-layer run. */
export type TwoLayerRunRecord = TwoLayerTrainingOutput & RunRecordFields;

/** The divergence error in flag terms: the optimiser's diagnosis and which flag to lower. */
function divergenceInFlags(error: unknown, run: TrainingRun, flags: TrainFlags): unknown {
  if (!(error instanceof DivergenceError)) return error;
  if (run.model === 'two-layer') {
    const given = [flags['lr-hidden'] !== undefined ? `--lr-hidden ${flags['lr-hidden']}` : null, flags['lr-output'] !== undefined ? `--lr-output ${flags['lr-output']}` : null].filter((s) => s !== null);
    const hint = given.length > 0 ? `try smaller rates than ${given.join(', ')}` : 'try passing smaller --lr-hidden and --lr-output';
    return new ShallowscapeError(`${error.diagnosis}; ${hint}`, 'E_DIVERGENCE', '--lr-hidden');
  }
  const hint = flags.lr !== undefined ? `try a smaller --lr than ${flags.lr}` : 'try passing a smaller --lr';
  return new ShallowscapeError(`${error.diagnosis}; ${hint}`, 'E_DIVERGENCE', '--lr');
}

/** The flags and files a run's overflow can come from. */
function overflowNames(run: TrainingRun, flags: TrainFlags): Record<string, string | undefined> {
  const c = run.config;
  return {
    teacher: run.model === 'two-layer' ? undefined : fileFlag('teacher', run.config.teacher, ['gaussian']),
    inputs: fileFlag('inputs', c.inputs, ['gaussian', 'rademacher', 'uniform']) ?? '--inputs',
    labels: fileFlag('labels', c.labels, ['teacher', 'random']) ?? '--labels',
    init: run.model === 'two-layer' ? undefined : (fileFlag('init', run.config.init, ['identity', 'gaussian', 'small']) ?? '--init'),
    initScale: flags['init-scale'] !== undefined ? `--init-scale ${flags['init-scale']}` : undefined,
    noise: `--noise ${flags.noise}`,
  };
}

/** The arrays of a run directory. */
function runArrays(result: Awaited<ReturnType<typeof trainQuadratic>> | Awaited<ReturnType<typeof trainTwoLayer>>, model: TrainingRun['model']): RunArray[] {
  if (model === 'two-layer') {
    const r = result as Awaited<ReturnType<typeof trainTwoLayer>>;
    const { w, a } = r.weights;
    const { x, y, teacher, w0, a0 } = r.problem;
    const d = w.cols;
    return [
      { key: 'weights', name: 'W.npy', data: w.data, shape: [w.rows, d] },
      { key: 'outputWeights', name: 'a.npy', data: a, shape: [a.length] },
      { key: 'initialWeights', name: 'W0.npy', data: w0.data, shape: [w0.rows, d] },
      { key: 'initialOutputWeights', name: 'a0.npy', data: a0, shape: [a0.length] },
      { key: 'inputs', name: 'X.npy', data: x.data, shape: [x.rows, d] },
      { key: 'labels', name: 'y.npy', data: y, shape: [y.length] },
      ...(teacher !== null
        ? [
            { key: 'teacher', name: 'Wstar.npy', data: teacher.w.data, shape: [teacher.w.rows, d] },
            { key: 'teacherOutputWeights', name: 'astar.npy', data: teacher.a, shape: [teacher.a.length] },
          ]
        : []),
    ];
  }
  const r = result as Awaited<ReturnType<typeof trainQuadratic>>;
  const w = r.weights;
  const { x, y, teacher, w0, signs } = r.problem;
  const d = w.cols;
  return [
    { key: 'weights', name: 'W.npy', data: w.data, shape: [w.rows, d] },
    { key: 'initialWeights', name: 'W0.npy', data: w0.data, shape: [w0.rows, d] },
    { key: 'inputs', name: 'X.npy', data: x.data, shape: [x.rows, d] },
    { key: 'labels', name: 'y.npy', data: y, shape: [y.length] },
    ...(teacher !== null ? [{ key: 'teacher', name: 'teacher.npy', data: teacher.data, shape: [teacher.rows, d] }] : []),
    ...(signs !== null ? [{ key: 'signs', name: 'signs.npy', data: signs, shape: [signs.length] }] : []),
  ];
}

/** A training run on a device: the run of `trainQuadratic` or `trainTwoLayer` with the descent on the GPU. */
type DeviceTraining = (run: TrainingRun, options: { signal: AbortSignal }) => Promise<QuadraticTrainingResult | TwoLayerTrainingResult>;

/**
 * Checks that a run is one the GPU descent of `--backend webgpu|gpujs` performs: fixed-step
 * gradient descent on the empirical objective, of a quadratic or signed quadratic network
 * (`--optimizer gd --lr`) or of a two-layer ReLU network (`--optimizer gd` with `--lr-hidden` and
 * `--lr-output` for the layers that are not frozen). `sweep` checks every grid point with it.
 *
 * @param commandPath - `shallowscape train`, for the hint.
 * @param backend - the device backend's name.
 * @param run - the run the flags describe.
 * @throws {@link UsageError} naming the flag to change.
 */
export function checkDeviceTraining(commandPath: string, backend: string, run: TrainingRun): void {
  const hint = `; see '${commandPath} --help'`;
  const c = run.config;
  if (run.model === 'two-layer') {
    const t = run.config;
    if (t.activation !== 'relu') throw new UsageError(`--backend ${backend} trains two-layer networks with --activation relu (got ${t.activation}); other activations run on the float64 backends${hint}`, '--activation');
    if (t.optimizer !== 'gd') throw new UsageError(`--backend ${backend} runs fixed-step gradient descent on the GPU: give --optimizer gd with --lr-hidden and --lr-output (got --optimizer ${t.optimizer})${hint}`, '--optimizer');
    const missing = [t.freeze !== 'hidden' && t.learningRateHidden === null ? '--lr-hidden' : null, t.freeze !== 'output' && t.learningRateOutput === null ? '--lr-output' : null].filter((f) => f !== null);
    if (missing.length > 0) throw new UsageError(`--backend ${backend} runs fixed-step gradient descent on the GPU: give ${missing.join(' and ')} (the loop on the GPU has no line search)${hint}`, missing[0]!);
  } else {
    if (c.optimizer !== 'gd' || run.config.learningRate === null) {
      throw new UsageError(`--backend ${backend} runs fixed-step gradient descent on the GPU: give --optimizer gd and --lr (got --optimizer ${c.optimizer}${run.config.learningRate === null ? ' without --lr' : ''})${hint}`, '--optimizer');
    }
    if (run.config.objective !== 'empirical') throw new UsageError(`--backend ${backend} trains on the empirical objective (got --objective ${run.config.objective})${hint}`, '--objective');
  }
}

/** The training of `--backend webgpu` or `gpujs`, after {@link checkDeviceTraining}. */
async function deviceTraining(commandPath: string, backend: string, run: TrainingRun): Promise<DeviceTraining> {
  checkDeviceTraining(commandPath, backend, run);
  if (backend === 'gpujs') {
    const kernels = await nodeGpujsKernels();
    if ('unavailable' in kernels) throw new UsageError(`--backend gpujs: ${kernels.unavailable}`, '--backend');
    return (r, options) => (r.model === 'two-layer' ? trainTwoLayerOnGpujs(kernels, r.config, r.data, options) : trainQuadraticOnGpujs(kernels, r.config, r.data, options));
  }
  const gpu = await nodeWebGpu();
  if (!gpu.available) throw new UsageError(`--backend webgpu: no WebGPU device here: ${gpu.reason}`, '--backend');
  return (r, options) => (r.model === 'two-layer' ? trainTwoLayerOnGpu(gpu.kernels, r.config, r.data, options) : trainQuadraticOnGpu(gpu.kernels, r.config, r.data, options));
}

/** The `train` command. */
export const trainCommand = defineCommand({
  name: 'train',
  summary: 'train a quadratic or two-layer network on teacher–student or random-label data and report risks',
  description: [
    'Samples (or reads) a teacher W* (m*×d), inputs X (N×d) and labels y, initialises W₀ (m×d) and',
    'minimises the empirical risk (1/N) Σ_i (f(x_i) − y_i)², f(x) = xᵀ Wᵀ diag(v) W x, or the exact',
    'population risk (--objective population). --model quadratic has v = 1; signed-quadratic has the',
    'first ⌈m/2⌉ signs +1 and the rest −1. The teacher is always all-positive; teacher labels are',
    'y_i = ‖W* x_i‖² + σ ε_i. By default `shallowscape train` recovers a Gaussian teacher with d = 10',
    'from N = 2N* = 110 samples (N* = d(d+1)/2) by L-BFGS in well under a second; try --n 40.',
    '',
    'Sizes: a file fixes its dimensions (--teacher: m*, d; --inputs: N, d; --labels: N; --init: m, d);',
    'a size flag given as well must agree. Defaults: d = 10, m = d (2d for signed-quadratic),',
    'm* = d, N = d(d+1). Random streams: the seed is split into independent streams for the',
    'teacher, the inputs, the labels (and noise) and the initialisation, so changing N changes',
    'neither the teacher nor W₀. The population risk of file inputs assumes Gaussian inputs.',
    '',
    'Learning rate: gd without --lr uses Armijo backtracking (largest trial step 1); gd with --lr',
    'takes fixed steps. lbfgs uses a strong Wolfe line search (--lr scales its first trial step).',
    'momentum and nesterov default to 1/λ̂, λ̂ a power-iteration estimate of the largest Hessian',
    'eigenvalue at W₀ and at W₀ rescaled to the scale of the labels (curvature grows like 8(d+2)·‖A‖);',
    'adam defaults to 1% of the RMS weight at that scale. The chosen value is in config.learningRate.',
    'Stopping: when ‖∇L‖_F ≤ --tol (default 1e-10 × ‖∇L(W₀)‖_F), zero risk, no further decrease',
    '(line searches), or --steps. A run that blows up (NaN, Inf) is an error: use a smaller --lr.',
    '',
    'JSON (--json): {"config", "final": {"empiricalRisk", "populationRisk", "relativeError",',
    '"gradientNorm", "step"}, "converged", "stopReason", "history": {"step", "risk", "gradientNorm",',
    '"elapsedMs"}}; populationRisk and relativeError are null without a teacher. Without --json,',
    'progress goes to stderr: a bar on a terminal, a line every 10 s otherwise.',
    '',
    '--certify adds "certificate": the object `shallowscape certify --json` prints for the final',
    'weights on the training data and teacher (stationarity, energy barrier, sample condition,',
    'global optimality), to the --json output and to run.json (not computed after Ctrl-C).',
    '',
    'Two-layer networks (--model two-layer): f(x) = s Σ_r a_r σ(w_r·x), σ from --activation (default',
    'relu), s = 1/√m, 1/m or 1 (--parameterization ntk (default), mean-field, standard). W₀ has i.i.d.',
    'N(0, 1/d) entries and a₀ i.i.d. N(0, 1); inputs are N(0, I_d) (or a file); --labels teacher uses a',
    'two-layer teacher of the same activation and parameterisation, width --teacher-width (default d),',
    'W* ~ N(0, 1/d), a* ~ N(0, 1). Defaults: d = 10, m = 100, N = 100. The optimiser gets the rates',
    '{W: η_W, a: η_a} (--lr-hidden, --lr-output); --freeze hidden|output sets that rate to 0 and leaves',
    'the layer out of the gradient norm. Default rates: lbfgs 1 (its diagonal preconditioner); gd',
    'without rate flags: Armijo from 1; gd with one rate flag, momentum, nesterov: 1/λ̂ (power',
    'iteration on the trainable layers at the start); adam: 1% of the layer\'s RMS initial weight.',
    'history.movementHidden = ‖W_t − W₀‖_F/‖W₀‖_F, history.movementOutput = ‖a_t − a₀‖/‖a₀‖; their last',
    'values are final.movementHidden and final.movementOutput.',
    'final.populationRisk (Gaussian inputs, + σ²) is exact for relu and erf and a Monte Carlo estimate',
    '(1e5 samples; standard error in "populationRiskStandardError") for the other activations;',
    'final.relativeError is null (it is defined for quadratic models only). --init, --init-scale,',
    '--teacher, --teacher-rank, --lr, --objective and --certify are for quadratic models only;',
    '--activation, --parameterization, --lr-hidden, --lr-output and --freeze for two-layer only.',
    '--out writes W.npy, a.npy, W0.npy, a0.npy, X.npy, y.npy (Wstar.npy, astar.npy) and run.json.',
    '',
    '--backend webgpu|gpujs (a global flag, before train) runs fixed-step gradient descent in',
    'float32 on a WebGPU device: of a quadratic or signed quadratic network (--optimizer gd --lr) or',
    'of a two-layer ReLU network (--optimizer gd --lr-hidden --lr-output; --freeze as above) on the',
    'empirical objective (webgpu: the whole loop on the GPU; gpujs: the risk and gradient of each',
    'step from gpu.js kernels); the history is the float32 one, the final metrics are those of the',
    'end point in float64; run.json records the backend and its precision.',
    '--report writes report.html (the final metrics, the training curves, the certificate with',
    '--certify, the configuration; one self-contained page) into --out, or into this directory.',
    '--out DIR writes W.npy (final weights), W0.npy, X.npy, y.npy, teacher.npy (if any), signs.npy',
    '(signed-quadratic) and run.json (config, seed, package versions, history, final metrics, stop',
    'reason, timing), each atomically, run.json last; Ctrl-C (or SIGTERM) stops the optimiser at the',
    'next step, still writes them for what was computed, and exits with 130 (143). Errors (mismatched',
    'sizes, N = 0, m < d with --init identity, NaN/Inf or malformed files, unknown flags, an unwritable',
    '--out, sizes that do not fit in memory) print one line, exit with 2 and leave no file behind.',
  ].join('\n'),
  flags: trainFlags,
  examples: [
    'shallowscape train',
    'shallowscape train --d 8 --n 20 --json',
    'shallowscape train --init identity --m 100 --optimizer gd --out runs/identity',
    'shallowscape train --model signed-quadratic --labels random --d 6 --n 15',
    'shallowscape train --inputs X.npy --labels y.npy --init W0.npy --optimizer adam --steps 5000',
    'shallowscape train --model two-layer --labels random --m 200 --out runs/relu',
    'shallowscape train --model two-layer --activation tanh --optimizer gd --lr-hidden 0.5 --lr-output 0.1',
  ],
  async run(ctx, { flags }) {
    const f = flags as TrainFlags;
    const startedAt = new Date();
    const t0 = performance.now();
    const run = resolveTraining(ctx.commandPath, f);
    const c = run.config;
    const sizes = { d: c.d, m: c.m, n: c.n, teacherWidth: c.teacherWidth ?? 0, steps: c.steps };
    const cost = run.model === 'two-layer' ? twoLayerTrainingCost(sizes) : quadraticTrainingCost(sizes);
    checkRunCost(cost, formatSizeFlags({ d: c.d, m: c.m, n: c.n }), ctx);
    // Files this run reads: a previous run in --out that wrote them must not be cleared away.
    const inputs = (['inputs', 'labels', 'init', 'teacher'] as const)
      .map((flag) => ({ flag: `--${flag}`, path: f[flag] }))
      .filter((i): i is { flag: string; path: string } => i.path !== undefined);
    const backendName = getBackend().name;
    const onDevice = backendName === 'webgpu' || backendName === 'gpujs' ? await deviceTraining(ctx.commandPath, backendName, run) : null;
    const reportPath = f.report && f.out === undefined ? reportPathIn() : undefined;
    const out = f.out === undefined ? undefined : await prepareRunDirectory(f.out, '--out', { inputs });

    const progress = new ProgressReporter(ctx.stderr, { enabled: !f.json });
    const onStep = (info: StepInfo): void =>
      progress.update(`step ${info.step}/${c.steps}  risk ${formatNumber(info.value)}  ‖∇‖ ${formatNumber(info.gradientNorm)}`, c.steps === 0 ? 1 : info.step / c.steps);
    let result: Awaited<ReturnType<typeof trainQuadratic>> | Awaited<ReturnType<typeof trainTwoLayer>>;
    try {
      if (onDevice !== null) result = await onDevice(run, { signal: ctx.signal });
      else result = run.model === 'two-layer' ? await trainTwoLayer(run.config, run.data, { signal: ctx.signal, onStep }) : await trainQuadratic(run.config, run.data, { signal: ctx.signal, onStep });
    } catch (error) {
      await out?.abandon();
      throw overflowInFlags(divergenceInFlags(error, run, f), overflowNames(run, f));
    } finally {
      progress.clear();
    }
    const output = result.output;
    const written: string[] = [];
    if (f.report) {
      const html = reportHtml(await trainingReport(result, commandLine(['shallowscape', ...ctx.argv]), collectVersions()));
      const path = await writeReport(html, out ?? reportPath!);
      if (out === undefined) written.push(path);
    }
    if (out !== undefined) {
      written.push(...(await writeTrainingRun(out, runArrays(result, run.model), output, { evaluations: result.evaluations, elapsedMs: result.optimizerMs }, { startedAt, t0 })));
    }

    if (f.json) {
      ctx.stdout.write(formatJson(output));
      return 0;
    }
    const totalMs = performance.now() - t0;
    let text: string;
    if (run.model === 'two-layer') text = formatTwoLayerTraining(output as TwoLayerTrainingOutput, totalMs, written);
    else {
      const quadratic = output as QuadraticTrainingOutput;
      text = formatQuadraticTraining(quadratic, totalMs, written);
      if (quadratic.certificate !== undefined) {
        const teacher = quadratic.config.teacher;
        text += `\ncertificate of the final weights:\n${formatCertificate(quadratic.certificate, { model: run.model, m: c.m, d: c.d, ...(teacher !== null ? { teacher } : {}) })}`;
      }
    }
    ctx.stdout.write(text);
    return 0;
  },
});
