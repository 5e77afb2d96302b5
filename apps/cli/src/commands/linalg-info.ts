/**
 * `shallowscape linalg-info`: what linear algebra this installation computes with (registered
 * backends, float64 epsilon, Node version and platform) and a quick self-check of the default
 * backend's gemm and of the random number generator.
 *
 * @packageDocumentation
 */
import {
  Rng,
  createRng,
  gaussianMatrix,
  getBackend,
  listBackends,
  referenceBackend,
  registerBackend,
  resolveAsyncKernel,
  resolveKernel,
  unavailableBackend,
  type LinalgBackend,
} from '@shallowscape/linalg';
import { nativeBackend } from '../backend-selection';
import { nodeGpujsBackend } from '@shallowscape/gpujs/node';
import { nodeWebGpu, nodeWebGpuBackend } from '@shallowscape/webgpu/node';
import { defineCommand } from '../command';
import { formatJson, jsonFlag } from '../io/json-output';
import { installedVersion } from '../versions';

/** One self-check: what was checked, the outcome, and the measured error against its tolerance. */
export interface SelfCheck {
  name: string;
  passed: boolean;
  detail: string;
  /** The measured error, for numerical checks. */
  error?: number;
  /** The tolerance `error` is compared with, for numerical checks. */
  tolerance?: number;
}

/** Size of the self-check matrices (n × n). */
export const SELF_CHECK_SIZE = 64;

/**
 * Checks `backend`'s gemm (its own or the reference fallback) against a naive triple loop on
 * seeded `n × n` Gaussian matrices, in all four transpose cases of
 * $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ with $\alpha = 1.5$, $\beta = -0.5$.
 *
 * The error measure is the largest componentwise relative error
 * $\max_{ij} |\hat c_{ij} - c_{ij}| / (|\alpha|\,(|\mathrm{op}(A)||\mathrm{op}(B)|)_{ij} + |\beta||c_{ij}|)$,
 * and the tolerance is twice the standard bound $\gamma_{k+4} \approx (k+4)u$ for a dot product of
 * length $k$ plus the scalings and a possible rounding of the inputs to the backend's precision
 * ($u = 2^{-53}$ for float64, $2^{-24}$ for float32): one $\gamma$ for each of the two
 * computations compared.
 *
 * @param backend - the backend to check.
 * @param seed - seed of the matrices.
 * @see N. J. Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.5.
 */
export function checkGemm(backend: LinalgBackend, seed: number, n = SELF_CHECK_SIZE): SelfCheck {
  const gemm = resolveKernel('gemm', backend);
  const inputs = gemmCheckInputs(seed, n);
  const results = TRANSPOSE_CASES.map(([transA, transB]) => {
    const c = inputs.c0.slice();
    gemm(transA, transB, n, n, n, GEMM_ALPHA, inputs.a, inputs.b, GEMM_BETA, c);
    return c;
  });
  return gemmCheckOutcome(backend, inputs, results, backend.gemm !== undefined ? 'own kernel' : "falls back to the reference backend's kernel");
}

/**
 * {@link checkGemm} for a device backend: its asynchronous `gemmAsync` (a GPU's), on the same
 * inputs and against the same tolerance, which follows the backend's precision.
 * @param backend - a backend with `gemmAsync`.
 * @param seed - seed of the matrices.
 */
export async function checkDeviceGemm(backend: LinalgBackend, seed: number, n = SELF_CHECK_SIZE): Promise<SelfCheck> {
  const gemm = resolveAsyncKernel('gemmAsync', backend);
  const inputs = gemmCheckInputs(seed, n);
  const results: Float64Array[] = [];
  for (const [transA, transB] of TRANSPOSE_CASES) {
    const c = inputs.c0.slice();
    await gemm(transA, transB, n, n, n, GEMM_ALPHA, inputs.a, inputs.b, GEMM_BETA, c);
    results.push(c);
  }
  return gemmCheckOutcome(backend, inputs, results, 'its gemmAsync on the device');
}

const GEMM_ALPHA = 1.5;
const GEMM_BETA = -0.5;
const TRANSPOSE_CASES: ReadonlyArray<readonly [boolean, boolean]> = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** The seeded `n × n` matrices of the gemm self-check. */
function gemmCheckInputs(seed: number, n: number): { n: number; a: Float64Array; b: Float64Array; c0: Float64Array } {
  const rng = createRng(seed);
  return { n, a: gaussianMatrix(n, n, rng).data, b: gaussianMatrix(n, n, rng).data, c0: gaussianMatrix(n, n, rng).data };
}

/** Compares the four computed products with the triple loop (see {@link checkGemm}). */
function gemmCheckOutcome(backend: LinalgBackend, inputs: { n: number; a: Float64Array; b: Float64Array; c0: Float64Array }, results: readonly Float64Array[], own: string): SelfCheck {
  const { n, a, b, c0 } = inputs;
  const alpha = GEMM_ALPHA;
  const beta = GEMM_BETA;
  const unitRoundoff = backend.precision === 'float32' ? 2 ** -24 : 2 ** -53;
  const tolerance = 2 * (n + 4) * unitRoundoff;
  let worst = 0;
  TRANSPOSE_CASES.forEach(([transA, transB], t) => {
    const c = results[t]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        let absSum = 0;
        for (let p = 0; p < n; p++) {
          const aip = transA ? a[p * n + i]! : a[i * n + p]!;
          const bpj = transB ? b[j * n + p]! : b[p * n + j]!;
          sum += aip * bpj;
          absSum += Math.abs(aip * bpj);
        }
        const expected = alpha * sum + beta * c0[i * n + j]!;
        const scale = Math.abs(alpha) * absSum + Math.abs(beta) * Math.abs(c0[i * n + j]!);
        const relative = Math.abs(c[i * n + j]! - expected) / scale;
        // A NaN (a kernel that wrote garbage) must fail the check: count it as an infinite error.
        if (!(relative <= worst)) worst = Number.isNaN(relative) ? Infinity : relative;
      }
    }
  });
  return {
    name: `gemm [${backend.name}]`,
    passed: worst <= tolerance,
    detail:
      `${n}×${n}, C ← 1.5·op(A)op(B) − 0.5·C, 4 transpose cases vs a naive triple loop (${own}): ` +
      `max relative error ${worst.toExponential(2)} ${worst <= tolerance ? '≤' : '>'} tolerance ${tolerance.toExponential(2)}`,
    error: worst,
    tolerance,
  };
}

/**
 * The first two outputs of xoshiro256** seeded with 0 through SplitMix64, from the reference
 * algorithm (packages/linalg/src/fixtures/gen_rng.py, `rng.json`).
 */
export const RNG_KNOWN_ANSWER = ['99ec5f36cb75f2b4', 'bf6e1f784956452a'] as const;

/** Checks {@link createRng}`(0)` against {@link RNG_KNOWN_ANSWER}. */
export function checkRngKnownAnswer(): SelfCheck {
  const rng = createRng(0);
  const got = RNG_KNOWN_ANSWER.map(() => rng.nextUint64().toString(16).padStart(16, '0'));
  const passed = got.every((word, k) => word === RNG_KNOWN_ANSWER[k]);
  return {
    name: 'rng known answer',
    passed,
    detail: passed
      ? `createRng(0) starts ${got.join(' ')}, as the xoshiro256** reference does`
      : `createRng(0) starts ${got.join(' ')}, expected ${RNG_KNOWN_ANSWER.join(' ')} (xoshiro256** reference)`,
  };
}

/**
 * Checks determinism: two generators with the same seed give bitwise-equal normals, and a state
 * saved mid-stream (through JSON) resumes the stream exactly.
 */
export function checkRngDeterminism(seed: number, draws = 1000): SelfCheck {
  const first = createRng(seed);
  const second = createRng(seed);
  let mismatches = 0;
  const half = Math.floor(draws / 2);
  for (let k = 0; k < half; k++) if (!Object.is(first.normal(), second.normal())) mismatches += 1;
  const saved = JSON.stringify(first.getState());
  const restored = Rng.fromState(JSON.parse(saved));
  let resumeMismatches = 0;
  for (let k = half; k < draws; k++) if (!Object.is(first.normal(), restored.normal())) resumeMismatches += 1;
  const passed = mismatches === 0 && resumeMismatches === 0;
  return {
    name: 'rng determinism',
    passed,
    detail: passed
      ? `seed ${seed}: equal seeds give bitwise-equal normals (${half} draws); a state saved as JSON resumes exactly (${draws - half} draws)`
      : `seed ${seed}: ${mismatches} of ${half} normals differ between equal seeds; ${resumeMismatches} of ${draws - half} differ after restoring a saved state`,
  };
}

/** Everything `linalg-info` reports (also its `--json` output). */
export interface LinalgInfo {
  linalgVersion: string | null;
  backends: Array<{ name: string; precision: string; description: string; isDefault: boolean }>;
  epsilon: number;
  node: { version: string; platform: string; arch: string };
  selfCheck: { seed: number; passed: boolean; checks: SelfCheck[] };
}

function formatText(info: LinalgInfo): string {
  const lines: string[] = [];
  lines.push(`@shallowscape/linalg ${info.linalgVersion ?? '(version unknown)'}`, '');
  lines.push('Backends (* = default):');
  const nameWidth = Math.max(...info.backends.map((b) => b.name.length));
  for (const b of info.backends) {
    lines.push(`  ${b.isDefault ? '*' : ' '} ${b.name.padEnd(nameWidth)}  ${b.precision}  ${b.description}`);
  }
  lines.push('');
  lines.push(`float64 machine epsilon: ${info.epsilon} (2^-52; unit roundoff u = 2^-53)`);
  lines.push(`Node.js: ${info.node.version} (${info.node.platform} ${info.node.arch})`);
  lines.push('', `Self-check (seed ${info.selfCheck.seed}):`);
  for (const check of info.selfCheck.checks) {
    lines.push(`  ${check.passed ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
  }
  const failed = info.selfCheck.checks.filter((c) => !c.passed).length;
  const total = info.selfCheck.checks.length;
  lines.push('', failed === 0 ? `All ${total} checks passed.` : `${failed} of ${total} checks FAILED.`, '');
  return lines.join('\n');
}

/** The `linalg-info` command. */
export const linalgInfoCommand = defineCommand({
  name: 'linalg-info',
  summary: 'show the linear-algebra backends, float64 epsilon and platform, and run a self-check',
  description: [
    'Lists the backends registered in @shallowscape/linalg (name, precision, description; the',
    'default is marked), the float64 machine epsilon, the Node.js version and platform, then runs',
    "a self-check: the default backend's gemm (and the reference backend's, if different) against",
    'a naive triple loop on seeded 64×64 matrices, and the random number generator against the',
    'xoshiro256** reference and for determinism. Exits with 1 if a check fails.',
    '',
    'The native backend (OpenBLAS and LAPACK through the optional addon of',
    '@shallowscape/linalg-native) is listed with its OpenBLAS build, kernels and threads, or with why',
    'its addon does not load here; --backend auto picks it when it loads, else wasm-simd, else',
    'reference.',
    '',
    'The float32 GPU backends webgpu (WGSL kernels) and gpujs (gpu.js kernels in its webgpu mode)',
    'are listed with the adapter (vendor, architecture, device) when this process can open a WebGPU',
    'device (the optional package webgpu, Dawn, with a Vulkan driver on Linux), and their gemm is',
    'then checked too, to the float32 tolerance; otherwise their descriptions say why they are',
    'unavailable here.',
  ].join('\n'),
  flags: {
    json: jsonFlag,
    seed: {
      type: 'integer',
      min: 0,
      default: 0,
      valueName: '<n>',
      description: 'seed of the self-check matrices and of the determinism check',
    },
  },
  examples: ['shallowscape linalg-info', 'shallowscape linalg-info --json --seed 7'],
  async run(ctx, { flags }) {
    const seed = flags.seed;
    const checked: LinalgBackend[] = [getBackend()];
    if (checked[0] !== referenceBackend) checked.push(referenceBackend);
    const checks: SelfCheck[] = [];
    for (const backend of checked) {
      checks.push(checkGemm(backend, seed));
      ctx.throwIfInterrupted();
    }
    // The native backend is listed with its OpenBLAS, or with why it does not load here.
    const native = nativeBackend();
    if (native.available) registerBackend(native.backend);
    else if (!listBackends().some((b) => b.name === 'native')) registerBackend(unavailableBackend('native', 'float64', 'OpenBLAS + LAPACK (native addon)', native.reason));
    // The GPU backend is listed with its adapter, or with why it is unavailable here.
    const webgpu = await nodeWebGpuBackend();
    const gpujs = await nodeGpujsBackend();
    registerBackend(webgpu);
    registerBackend(gpujs);
    if ((await nodeWebGpu()).available) {
      for (const device of [webgpu, gpujs]) if (device !== checked[0]) checks.push(await checkDeviceGemm(device, seed));
    }
    checks.push(checkRngKnownAnswer());
    checks.push(checkRngDeterminism(seed));
    const info: LinalgInfo = {
      linalgVersion: installedVersion('@shallowscape/linalg'),
      backends: listBackends().map((b) => ({ name: b.name, precision: b.precision, description: b.description, isDefault: b.isDefault })),
      epsilon: Number.EPSILON,
      node: { version: process.version, platform: process.platform, arch: process.arch },
      selfCheck: { seed, passed: checks.every((c) => c.passed), checks },
    };
    ctx.stdout.write(flags.json ? formatJson(info) : formatText(info));
    return info.selfCheck.passed ? 0 : 1;
  },
});
