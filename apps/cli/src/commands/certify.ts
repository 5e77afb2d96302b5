/**
 * `shallowscape certify`: landscape certificates for the weights of a quadratic or signed
 * quadratic network on given data (the mathematics guide, §1.1, §1.4, §2, §3): stationarity and curvature,
 * the energy barrier (with a teacher), the sample condition, and global optimality through the
 * convex lift: flags → files → `certify` of `@shallowscape/experiments`. `train --certify`
 * attaches the same object to its output.
 *
 * @packageDocumentation
 */
import { QUADRATIC_MODELS, certificationCost, certify } from '@shallowscape/experiments';
import { reportHtml } from '@shallowscape/figures';
import { defineCommand } from '../command';
import { overflowInFlags } from '../configs/overflow-error';
import { readSampleInputs, readTeacherAndSigns, requireSampleInputFlags } from '../configs/sample-inputs';
import { formatJson, jsonFlag } from '../io/json-output';
import { commandLine } from '../output/shell-words';
import { certificateReport } from '../report/certificate-report';
import { reportFlag, reportPathIn, writeReport } from '../report/report-file';
import { collectVersions } from '../versions';
import { formatCertificate } from '../output/format-certificate';
import { checkRunCost } from '../resources/memory-budget';

/** The `certify` command. */
export const certifyCommand = defineCommand({
  name: 'certify',
  summary: 'certify weights on data: stationarity, energy barrier, sample condition, optimality',
  description: [
    'Reads the hidden weights W (m×d), the inputs X (N×d) and the labels y (N, or N×1) and prints',
    '  stationarity       ‖∇_W L̂(W)‖_F and λ_min of the Hessian ∇²L̂(W) (the mathematics guide, §3)',
    '  energyBarrier      with --teacher W*: 2σ_min(W*)⁴, the Gaussian-input population risk L(W) and',
    '                     whether L(W) is below the barrier (§1.1); null without a teacher',
    '  sampleCondition    N, N* = d(d+1)/2, the numerical rank and σ_max/σ_min of the lifted design Φ',
    '                     and whether rank Φ = N* (§1.4)',
    '  globalOptimality   λ_min(G) for G = ∇ℓ(Q) the gradient of the convex lifted risk at Q = WᵀW',
    '                     (Wᵀ diag(v) W for signed networks), the gap bound ⟨G, Q⟩ when certified',
    '                     (null otherwise), whether certified (λ_min(G) ≥ −tol, a tolerance relative',
    '                     to the scale of G, so that an exact optimum is certified and W = 0 with',
    '                     positive labels is not), ℓ* from an independent solve of the lift and the',
    '                     lower end of the bracket [liftedOptimumLowerBound, liftedOptimum] that holds ℓ*',
    '                     by convexity, strong convexity when the sample condition holds (§2).',
    'With --model signed-quadratic the signs come from --output-signs (default: first ⌈m/2⌉ +1).',
    '',
    'JSON (--json): {"stationarity": {"gradientNorm", "hessianMinEigenvalue"}, "energyBarrier":',
    '{"barrier", "populationRisk", "belowBarrier"} | null, "sampleCondition": {"n", "nStar",',
    '"liftRank", "liftConditionNumber", "holds"}, "globalOptimality": {"liftedGradientMinEigenvalue",',
    '"gapBound", "certified", "liftedOptimum", "liftedOptimumLowerBound"}}. JSON has no Infinity: an infinite condition number',
    '(rank-deficient Φ) is printed as the string "Infinity", as all --json output does.',
    '--report writes report.html into this directory: the numbers, a figure of the spectrum of G',
    'against the tolerance and of L(W) against the barrier, and the input files.',
    'Exit code 0 whatever the verdict; shape mismatches, N = 0, NaN/Inf or malformed files: one',
    'line on stderr and exit code 2.',
  ].join('\n'),
  flags: {
    model: { type: 'string', choices: QUADRATIC_MODELS, default: 'quadratic', description: 'the network: all output signs +1, or fixed signs ±1' },
    weights: { type: 'string', valueName: '<file>', description: 'hidden weights W, m×d (.npy, .csv or .json; required)' },
    data: { type: 'string', valueName: '<file>', description: 'inputs X, N×d, one sample per row (required)' },
    labels: { type: 'string', valueName: '<file>', description: 'labels y, shape (N,) or (N, 1) (required)' },
    teacher: { type: 'string', valueName: '<file>', description: 'teacher weights W*, m*×d: adds the energy barrier' },
    'output-signs': { type: 'string', valueName: '<file>', description: 'output signs v (±1, length m) for --model signed-quadratic' },
    report: reportFlag,
    json: jsonFlag,
  },
  examples: [
    'shallowscape certify --weights run/W.npy --data run/X.npy --labels run/y.npy --teacher run/teacher.npy',
    'shallowscape certify --weights W.npy --data X.npy --labels y.npy --json',
    'shallowscape certify --model signed-quadratic --weights W.npy --output-signs v.npy --data X.npy --labels y.npy',
  ],
  async run(ctx, { flags }) {
    const paths = requireSampleInputFlags(ctx.commandPath, flags);
    const model = flags.model;
    const reportPath = flags.report ? reportPathIn() : undefined;
    const { w, x, y } = readSampleInputs(paths, 'the certificates need at least one');
    const { teacher, signs } = readTeacherAndSigns(flags, w, paths.weights);
    checkRunCost(certificationCost({ d: w.cols, m: w.rows, n: x.rows }), `--weights ${JSON.stringify(paths.weights)} (${w.rows}×${w.cols}) and --data ${JSON.stringify(paths.data)} (${x.rows}×${x.cols})`, ctx);
    let certificate;
    try {
      certificate = certify({ w, x, y, ...(teacher !== undefined ? { teacher } : {}), ...(signs !== undefined ? { signs } : {}) }, { signal: ctx.signal });
    } catch (error) {
      throw overflowInFlags(error, {
        weights: `--weights ${JSON.stringify(paths.weights)}`,
        inputs: `--data ${JSON.stringify(paths.data)}`,
        labels: `--labels ${JSON.stringify(paths.labels)}`,
        teacher: flags.teacher !== undefined ? `--teacher ${JSON.stringify(flags.teacher)}` : undefined,
      });
    }
    let wrote = '';
    if (reportPath !== undefined) {
      const problem = { w, x, y, ...(teacher !== undefined ? { teacher } : {}), ...(signs !== undefined ? { signs } : {}) };
      const files = Object.fromEntries(
        (['weights', 'data', 'labels', 'teacher', 'output-signs'] as const).filter((f) => flags[f] !== undefined).map((f) => [`--${f}`, flags[f]!]),
      );
      const report = await certificateReport({ certificate, problem, model, files, command: commandLine(['shallowscape', ...ctx.argv]), versions: collectVersions() });
      wrote = `wrote: ${await writeReport(reportHtml(report), reportPath)}\n`;
    }
    ctx.stdout.write(
      flags.json
        ? formatJson(certificate)
        : formatCertificate(certificate, { model, m: w.rows, d: w.cols, ...(flags.teacher !== undefined ? { teacher: flags.teacher } : {}) }) + wrote,
    );
    return 0;
  },
});
