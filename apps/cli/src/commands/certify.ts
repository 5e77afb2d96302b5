/**
 * `shallowscape certify`: landscape certificates for the weights of a quadratic or signed
 * quadratic network on given data (the mathematics guide, §1.1, §1.4, §2, §3): stationarity and curvature,
 * the energy barrier (with a teacher), the sample condition, and global optimality through the
 * convex lift. `train --certify` attaches the same object to its output.
 *
 * @packageDocumentation
 */
import { Matrix } from '@shallowscape/linalg';
import { certifyQuadraticNetwork } from '@shallowscape/certificates';
import { defineCommand } from '../command';
import { formatJson, jsonFlag } from '../io/json-output';
import { MODELS, formatNumber, type ModelName } from './eval';
import { readSampleInputs, readTeacherAndSigns, requireSampleInputFlags } from './quadratic-inputs';

/** What `certify --json` prints, and `train --certify` adds as `certificate`. */
export interface CertificateOutput {
  stationarity: {
    /** $\|\nabla_W \hat L(W)\|_F$. */
    gradientNorm: number;
    /** $\lambda_{\min}(\nabla^2_W \hat L(W))$. */
    hessianMinEigenvalue: number;
  };
  /** With a teacher: $2\sigma_{\min}(W^*)^4$, $L(W)$ and whether $L(W)$ is below; `null` without one. */
  energyBarrier: { barrier: number; populationRisk: number; belowBarrier: boolean } | null;
  sampleCondition: {
    /** Samples $N$. */
    n: number;
    /** $N^* = d(d+1)/2$. */
    nStar: number;
    /** Numerical rank of the lifted design $\Phi$ ($N \times N^*$). */
    liftRank: number;
    /** $\sigma_{\max}(\Phi)/\sigma_{\min}(\Phi)$; `Infinity` (printed `"Infinity"` in JSON) when rank-deficient. */
    liftConditionNumber: number;
    /** Whether $\operatorname{rank}\Phi = N^*$. */
    holds: boolean;
  };
  globalOptimality: {
    /** $\lambda_{\min}(G)$, $G = \nabla\ell(Q)$ the gradient of the lifted risk. */
    liftedGradientMinEigenvalue: number;
    /** $\langle G, Q \rangle$, a bound on $\hat L(W) - \min \hat L$ when certified; `null` otherwise. */
    gapBound: number | null;
    /** Whether $\lambda_{\min}(G) \ge -\text{tol}$ (see `@shallowscape/certificates`). */
    certified: boolean;
    /** $\ell^*$ from an independent solve of the lifted problem. */
    liftedOptimum: number | null;
  };
}

/** The network, data and (optional) teacher a certificate is computed for. */
export interface CertifyProblem {
  /** Hidden weights $W$, $m \times d$. */
  w: Matrix;
  /** Inputs $X$, $N \times d$. */
  x: Matrix;
  /** Labels, length $N$. */
  y: Float64Array;
  /** Teacher $W^*$, $m^* \times d$. */
  teacher?: Matrix;
  /** Output signs $v$ (signed quadratic networks). */
  signs?: Float64Array;
}

/**
 * Computes the certificate object of `shallowscape certify` with `certifyQuadraticNetwork` and
 * keeps exactly its contract keys.
 *
 * @param problem - $W$, $X$, $y$ and optionally $W^*$ and $v$, already validated.
 * @returns the four sections (see {@link CertificateOutput}).
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} or `InvalidArgumentError` for inconsistent shapes or signs
 *   (the command validates them first, naming the flags).
 * @example
 * ```ts
 * const x = Matrix.from([[1, 0], [0, 1], [1, 1]]);
 * certificateOf({ w: Matrix.identity(2), x, y: Float64Array.of(1, 1, 2) }).globalOptimality.certified; // => true
 * ```
 */
export function certificateOf(problem: CertifyProblem): CertificateOutput {
  const c = certifyQuadraticNetwork({
    w: problem.w,
    x: problem.x,
    y: problem.y,
    ...(problem.teacher !== undefined ? { teacher: problem.teacher } : {}),
    ...(problem.signs !== undefined ? { signs: problem.signs } : {}),
  });
  return {
    stationarity: { gradientNorm: c.stationarity.gradientNorm, hessianMinEigenvalue: c.stationarity.hessianMinEigenvalue },
    energyBarrier:
      c.energyBarrier === null
        ? null
        : { barrier: c.energyBarrier.barrier, populationRisk: c.energyBarrier.populationRisk, belowBarrier: c.energyBarrier.belowBarrier },
    sampleCondition: {
      n: c.sampleCondition.n,
      nStar: c.sampleCondition.nStar,
      liftRank: c.sampleCondition.liftRank,
      liftConditionNumber: c.sampleCondition.liftConditionNumber,
      holds: c.sampleCondition.holds,
    },
    globalOptimality: {
      liftedGradientMinEigenvalue: c.globalOptimality.liftedGradientMinEigenvalue,
      gapBound: c.globalOptimality.gapBound,
      certified: c.globalOptimality.certified,
      liftedOptimum: c.globalOptimality.liftedOptimum,
    },
  };
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** The text report of `certify` (without `--json`). */
export function formatCertificate(c: CertificateOutput, info: { model: ModelName; m: number; d: number; teacher?: string }): string {
  const sections: Array<[string, Array<[string, string, string]>]> = [
    [
      'stationarity and curvature',
      [
        ['gradient norm', formatNumber(c.stationarity.gradientNorm), '‖∇_W L̂(W)‖_F'],
        ['Hessian λ_min', formatNumber(c.stationarity.hessianMinEigenvalue), `smallest eigenvalue of ∇²L̂(W) (${info.m * info.d}×${info.m * info.d})`],
      ],
    ],
    [
      'energy barrier',
      c.energyBarrier === null
        ? [['—', '', 'needs --teacher']]
        : [
            ['barrier', formatNumber(c.energyBarrier.barrier), `2σ_min(W*)⁴, teacher ${JSON.stringify(info.teacher)}`],
            ['population risk', formatNumber(c.energyBarrier.populationRisk), 'L(W) for Gaussian inputs'],
            ['below barrier', yesNo(c.energyBarrier.belowBarrier), c.energyBarrier.belowBarrier ? 'L(W) < barrier: W is full rank' : 'L(W) ≥ barrier'],
          ],
    ],
    [
      'sample condition',
      [
        ['samples', String(c.sampleCondition.n), `N* = d(d+1)/2 = ${c.sampleCondition.nStar}`],
        ['lift rank', String(c.sampleCondition.liftRank), 'numerical rank of Φ (N × N*)'],
        ['lift condition number', formatNumber(c.sampleCondition.liftConditionNumber), 'σ_max(Φ)/σ_min(Φ)'],
        ['holds', yesNo(c.sampleCondition.holds), c.sampleCondition.holds ? 'the data pin WᵀW down' : 'rank Φ < N*: interpolating bad minima exist'],
      ],
    ],
    [
      'global optimality (convex lift)',
      [
        ['λ_min(G)', formatNumber(c.globalOptimality.liftedGradientMinEigenvalue), 'G = ∇ℓ(WᵀW) = (2/N) Σ e_i x_i x_iᵀ'],
        ['gap bound', formatNumber(c.globalOptimality.gapBound), c.globalOptimality.gapBound === null ? 'not certified' : 'L̂(W) − min L̂ ≤ ⟨G, WᵀW⟩'],
        ['certified', yesNo(c.globalOptimality.certified), c.globalOptimality.certified ? 'global minimum up to the gap bound' : 'λ_min(G) < 0: an escape direction exists'],
        ['lifted optimum', formatNumber(c.globalOptimality.liftedOptimum), 'ℓ* from an independent solve of the lifted problem'],
      ],
    ],
  ];
  const rows = sections.flatMap(([, r]) => r);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [`${info.model} network: m = ${info.m}, d = ${info.d}`];
  for (const [title, section] of sections) {
    lines.push(title);
    for (const [a, b, note] of section) lines.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${note}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

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
    '                     positive labels is not) and ℓ* from an independent solve of the lift (§2).',
    'With --model signed-quadratic the signs come from --output-signs (default: first ⌈m/2⌉ +1).',
    '',
    'JSON (--json): {"stationarity": {"gradientNorm", "hessianMinEigenvalue"}, "energyBarrier":',
    '{"barrier", "populationRisk", "belowBarrier"} | null, "sampleCondition": {"n", "nStar",',
    '"liftRank", "liftConditionNumber", "holds"}, "globalOptimality": {"liftedGradientMinEigenvalue",',
    '"gapBound", "certified", "liftedOptimum"}}. JSON has no Infinity: an infinite condition number',
    '(rank-deficient Φ) is printed as the string "Infinity", as all --json output does.',
    'Exit code 0 whatever the verdict; shape mismatches, N = 0, NaN/Inf or malformed files: one',
    'line on stderr and exit code 2.',
  ].join('\n'),
  flags: {
    model: { type: 'string', choices: MODELS, default: 'quadratic', description: 'the network: all output signs +1, or fixed signs ±1' },
    weights: { type: 'string', valueName: '<file>', description: 'hidden weights W, m×d (.npy, .csv or .json; required)' },
    data: { type: 'string', valueName: '<file>', description: 'inputs X, N×d, one sample per row (required)' },
    labels: { type: 'string', valueName: '<file>', description: 'labels y, shape (N,) or (N, 1) (required)' },
    teacher: { type: 'string', valueName: '<file>', description: 'teacher weights W*, m*×d: adds the energy barrier' },
    'output-signs': { type: 'string', valueName: '<file>', description: 'output signs v (±1, length m) for --model signed-quadratic' },
    json: jsonFlag,
  },
  examples: [
    'shallowscape certify --weights run/W.npy --data run/X.npy --labels run/y.npy --teacher run/teacher.npy',
    'shallowscape certify --weights W.npy --data X.npy --labels y.npy --json',
    'shallowscape certify --model signed-quadratic --weights W.npy --output-signs v.npy --data X.npy --labels y.npy',
  ],
  run(ctx, { flags }) {
    const paths = requireSampleInputFlags(ctx, flags);
    const model = flags.model;
    const { w, x, y } = readSampleInputs(paths, 'the certificates need at least one');
    const { teacher, signs } = readTeacherAndSigns(flags, w, paths.weights);
    const certificate = certificateOf({ w, x, y, ...(teacher !== undefined ? { teacher } : {}), ...(signs !== undefined ? { signs } : {}) });
    ctx.stdout.write(
      flags.json
        ? formatJson(certificate)
        : formatCertificate(certificate, { model, m: w.rows, d: w.cols, ...(flags.teacher !== undefined ? { teacher: flags.teacher } : {}) }),
    );
    return 0;
  },
});
