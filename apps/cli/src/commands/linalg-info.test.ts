import { describe, expect, it } from 'vitest';
import { defaultThreadCount, listBackends, referenceBackend, registerBackend, setBackend, type LinalgBackend } from '@shallowscape/linalg';
import { loadFixture } from '@shallowscape/test-utils';
import { nativeBackend } from '../backend-selection';
import { main } from '../main';
import { captureIo } from '../testing/captured-io';
import { RNG_KNOWN_ANSWER, SELF_CHECK_SIZE, checkGemm, checkRngDeterminism, checkRngKnownAnswer, type LinalgInfo } from './linalg-info';

/** A naive gemm computing in single precision (inputs and accumulator rounded with fround). */
function float32Gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  beta: number,
  c: Float64Array,
): void {
  const f = Math.fround;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i]! : a[i * k + p]!;
        const bpj = transB ? b[j * k + p]! : b[p * n + j]!;
        s = f(s + f(f(aip) * f(bpj)));
      }
      c[i * n + j] = f(f(f(alpha) * s) + f(f(beta) * f(c[i * n + j]!)));
    }
  }
}

const float32Backend: LinalgBackend = { name: 'test-float32', precision: 'float32', description: 'naive single-precision gemm (test)', gemm: float32Gemm };

async function runJson(argv: string[], global: string[] = []): Promise<{ code: number; info: LinalgInfo; text: string }> {
  const io = captureIo();
  const code = await main([...global, 'linalg-info', '--json', ...argv], io);
  expect(io.err()).toBe('');
  return { code, info: JSON.parse(io.out()) as LinalgInfo, text: io.out() };
}

describe('linalg-info', () => {
  it('prints the backends, epsilon, Node version and a passing self-check as text', async () => {
    const io = captureIo();
    expect(await main(['--backend=reference', 'linalg-info'], io)).toBe(0);
    expect(io.err()).toBe('');
    const out = io.out();
    for (const b of listBackends()) {
      expect(out).toMatch(new RegExp(`^  ${b.isDefault ? '\\*' : ' '} ${b.name}\\s+${b.precision}  ${b.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
    expect(out).toContain('float64 machine epsilon: 2.220446049250313e-16 (2^-52');
    expect(out).toContain(`Node.js: ${process.version} (${process.platform} ${process.arch})`);
    expect(out).toMatch(/^ {2}PASS {2}gemm \[reference\]: 64×64/m);
    expect(out).toMatch(/^ {2}PASS {2}rng known answer: /m);
    expect(out).toMatch(/^ {2}PASS {2}rng determinism: /m);
    expect(out).not.toContain('FAIL');
    expect(out.trimEnd().split('\n').at(-1)).toBe('All 3 checks passed.');
  });

  it('prints the same facts as JSON with sorted keys, deterministically', async () => {
    const first = await runJson([], ['--backend=reference']);
    expect(first.code).toBe(0);
    const { info } = first;
    expect(Object.keys(info)).toEqual(['backends', 'epsilon', 'linalgVersion', 'node', 'selfCheck']);
    expect(info.epsilon).toBe(2 ** -52);
    expect(info.node).toEqual({ arch: process.arch, platform: process.platform, version: process.version });
    expect(info.backends).toEqual(listBackends().map((b) => ({ description: b.description, isDefault: b.isDefault, name: b.name, precision: b.precision })));
    expect(info.backends.filter((b) => b.isDefault)).toHaveLength(1);
    expect(info.backends).toContainEqual(expect.objectContaining({ name: 'reference', precision: 'float64' }));
    // The GPU backend: its adapter where this process has a WebGPU device, else why not.
    const webgpu = info.backends.find((b) => b.name === 'webgpu')!;
    expect(webgpu.precision).toBe('float32');
    expect(webgpu.description).toMatch(/^WebGPU \(WGSL kernels, float32\)( on |: unavailable here: )/);
    const gpujs = info.backends.find((b) => b.name === 'gpujs')!;
    expect(gpujs.precision).toBe('float32');
    expect(gpujs.description).toMatch(/^gpu\.js 2\.24 kernels \(float32\)( in its webgpu mode|: unavailable here: gpu\.js's webgpu mode needs a WebGPU adapter: )/);
    expect(info.selfCheck.seed).toBe(0);
    expect(info.selfCheck.passed).toBe(true);
    expect(info.selfCheck.checks.map((c) => c.name)).toEqual(['gemm [reference]', 'rng known answer', 'rng determinism']);
    const gemm = info.selfCheck.checks[0]!;
    expect(gemm.error).toBeLessThanOrEqual(gemm.tolerance!);
    expect(gemm.tolerance).toBe(2 * (SELF_CHECK_SIZE + 4) * 2 ** -53);
    expect((await runJson([], ['--backend=reference'])).text).toBe(first.text);
    const seeded = await runJson(['--seed', '7'], ['--backend=reference']);
    expect(seeded.info.selfCheck.seed).toBe(7);
    expect(seeded.info.selfCheck.passed).toBe(true);
  });

  it('checks both the default backend and the reference one when they differ', async () => {
    registerBackend(float32Backend);
    const previous = setBackend(float32Backend);
    try {
      const { code, info } = await runJson([]);
      expect(code).toBe(0);
      expect(info.backends.find((b) => b.isDefault)?.name).toBe('test-float32');
      expect(info.selfCheck.checks.map((c) => c.name)).toEqual(['gemm [test-float32]', 'gemm [reference]', 'rng known answer', 'rng determinism']);
    } finally {
      setBackend(previous);
    }
  });
});

describe('backend selection (--backend, SHALLOWSCAPE_BACKEND)', () => {
  it('auto picks the native backend where its addon loads (else wasm-simd where WebAssembly SIMD is supported), and self-checks it against the reference', async () => {
    setBackend('reference');
    const io = captureIo();
    expect(await main(['linalg-info', '--json'], io)).toBe(0);
    const info = JSON.parse(io.out()) as LinalgInfo;
    const native = nativeBackend();
    const picked = native.available ? 'native' : 'wasm-simd';
    expect(info.backends.find((b) => b.isDefault)?.name).toBe(picked);
    // The native backend is listed either way: with its OpenBLAS, or with why its addon does not load.
    const entry = info.backends.find((b) => b.name === 'native')!;
    expect(entry.precision).toBe('float64');
    expect(entry.description).toMatch(native.available ? /^OpenBLAS \S+ \(\S+ kernels, \d+ threads?\) \+ LAPACK/ : /^OpenBLAS \+ LAPACK \(native addon\): unavailable here: /);
    if (process.env.CI) expect(native.available, 'the native addon must load on CI').toBe(true);
    // On the main thread the CLI runs the native products on every core.
    if (native.available) {
      expect(native.threads).toBe(defaultThreadCount());
      expect(entry.description).toContain(`${native.threads} thread`);
    }
    expect(info.selfCheck.checks.map((c) => c.name)).toEqual([`gemm [${picked}]`, 'gemm [reference]', 'rng known answer', 'rng determinism']);
    expect(info.selfCheck.passed).toBe(true);
    setBackend('reference');
  });

  it('honours the environment variable and rejects unknown backends with exit code 2', async () => {
    const env = captureIo();
    expect(await main(['linalg-info', '--json'], { ...env, env: { SHALLOWSCAPE_BACKEND: 'reference' } })).toBe(0);
    expect((JSON.parse(env.out()) as LinalgInfo).backends.find((b) => b.isDefault)?.name).toBe('reference');
    const bad = captureIo();
    expect(await main(['--backend=cuda', 'linalg-info'], bad)).toBe(2);
    expect(bad.err()).toMatch(/^shallowscape: error: .*--backend.*cuda/);
    expect(bad.err().trimEnd().split('\n')).toHaveLength(1);
    const badEnv = captureIo();
    expect(await main(['linalg-info'], { ...badEnv, env: { SHALLOWSCAPE_BACKEND: 'gpu' } })).toBe(2);
    expect(badEnv.err()).toContain('SHALLOWSCAPE_BACKEND');
    setBackend('reference');
  });
});

describe('the self-checks can fail', () => {
  const base = { name: 'broken', precision: 'float64', description: 'test' } as const;

  it('the reference gemm passes well inside its tolerance', () => {
    const check = checkGemm(referenceBackend, 3);
    expect(check.passed).toBe(true);
    expect(check.error!).toBeLessThan(check.tolerance! / 4);
  });

  it('a gemm that ignores beta fails', () => {
    const ignoresBeta: LinalgBackend = {
      ...base,
      gemm: (tA, tB, m, n, k, alpha, a, b, _beta, c) => float64Naive(tA, tB, m, n, k, alpha, a, b, 0, c),
    };
    const check = checkGemm(ignoresBeta, 0);
    expect(check.passed).toBe(false);
    expect(check.error!).toBeGreaterThan(1e-3);
  });

  it('a gemm that mixes up the transposes fails', () => {
    const noTranspose: LinalgBackend = { ...base, gemm: (_tA, _tB, m, n, k, alpha, a, b, beta, c) => float64Naive(false, false, m, n, k, alpha, a, b, beta, c) };
    expect(checkGemm(noTranspose, 0).passed).toBe(false);
  });

  it('a gemm that writes NaN fails with an infinite error', () => {
    const nan: LinalgBackend = {
      ...base,
      gemm: (_tA, _tB, m, n, _k, _alpha, _a, _b, _beta, c) => {
        c.fill(NaN, 0, m * n);
      },
    };
    const check = checkGemm(nan, 0);
    expect(check.passed).toBe(false);
    expect(check.error).toBe(Infinity);
  });

  it('single-precision accuracy passes for a float32 backend and fails for one claiming float64', () => {
    expect(checkGemm(float32Backend, 0).passed).toBe(true);
    const check = checkGemm({ ...float32Backend, precision: 'float64' }, 0);
    expect(check.passed).toBe(false);
    expect(check.error!).toBeGreaterThan(1e-9);
  });

  it('the RNG known answer is the reference fixture of the linalg package', () => {
    const fixture = loadFixture<{ cases: Array<{ seed: string; outputs: string[] }> }>(
      import.meta.url,
      '../../../../packages/linalg/src/fixtures/rng.json',
    );
    const seed0 = fixture.cases.find((c) => c.seed === '0')!;
    expect([...RNG_KNOWN_ANSWER]).toEqual(seed0.outputs.slice(0, RNG_KNOWN_ANSWER.length));
    expect(checkRngKnownAnswer().passed).toBe(true);
    expect(checkRngDeterminism(11).passed).toBe(true);
  });
});

/** An independent float64 naive gemm used to build deliberately broken backends. */
function float64Naive(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  beta: number,
  c: Float64Array,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]!);
    }
  }
}

describe('the global --backend flag', () => {
  it('takes its value after a space or an equals sign', async () => {
    for (const argv of [['--backend', 'reference'], ['--backend=reference']]) {
      const io = captureIo();
      expect(await main([...argv, 'linalg-info', '--json'], io)).toBe(0);
      expect((JSON.parse(io.out()) as LinalgInfo).backends.find((b) => b.isDefault)?.name).toBe('reference');
    }
  });
});
