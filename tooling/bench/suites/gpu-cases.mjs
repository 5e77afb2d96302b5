// The cases of the gpu suite (suites/gpu.mjs) from modules given to it, so that the suite (the
// built packages, `pnpm bench --only gpu`) and the self-contained bundle for GPU machines
// (tooling/gpu/gpu-bench.mjs) time the same things.

/** Dense n×n sgemm flops. */
const gemmFlops = (n) => 2 * n ** 3;

/**
 * The cases of the suite from loaded modules.
 *
 * @param {{ linalg: any, model: any, experiments: any, webgpu: any, kernels: any | null, reason: string | null,
 *           gpujs: any | null, gpujsReason: string | null, quick: boolean,
 *           sizes?: { gemm: number[], shapes: number[][], training: { m: number, d: number, n: number, steps: number } } }} ctx
 *   `sizes` replaces the sizes (the smoke test of these cases in a browser runs them small).
 * @returns {import('../run.mjs').Case[]}
 */
export function gpuCases({ linalg, model, experiments, webgpu, kernels, reason, gpujs, gpujsReason, quick, sizes: given }) {
  const sizes = given?.gemm ?? (quick ? [1024] : [1024, 2048, 4096]);
  const shapes = given?.shapes ?? (quick ? [[200, 100, 20000]] : [[200, 100, 20000], [400, 200, 200000]]);
  const training = given?.training ?? (quick ? { m: 200, d: 100, n: 20000, steps: 200 } : { m: 400, d: 200, n: 200000, steps: 1000 });
  const cases = [];
  const skip = kernels === null ? `no WebGPU device in this process: ${reason}` : null;
  const adapter = kernels === null ? null : `${kernels.adapter.vendor} ${kernels.adapter.architecture} ${kernels.adapter.device}`.trim();
  const wasm = typeof linalg.getWasmSimdBackend === 'function' ? linalg.getWasmSimdBackend() : null;

  for (const n of sizes) {
    const params = { n, precision: 'float32', adapter };
    const name = `sgemm n=${n} [webgpu, resident]`;
    if (skip !== null) {
      cases.push({ name, params, skip });
      continue;
    }
    cases.push({
      name,
      params,
      flops: gemmFlops(n),
      subjects: {
        shallowscape: {
          async: true,
          reps: n >= 4096 ? 10 : 20,
          warmup: 3,
          note: 'C = AB on buffers resident on the device; timed from dispatch to the queue having finished',
          setup() {
            const rng = linalg.createRng(100 + n);
            const a = kernels.upload(rng.fillNormal(new Float64Array(n * n)), 'A');
            const b = kernels.upload(rng.fillNormal(new Float64Array(n * n)), 'B');
            const c = kernels.upload(n * n, 'C');
            const product = [kernels.sgemmDispatch({ m: n, n, k: n, transA: false, transB: false, alpha: 1, beta: 0 }, a, b, c)];
            return async () => {
              kernels.run(product);
              await kernels.finish();
            };
          },
        },
      },
      torch: { op: 'sgemm', n, reps: 10, warmup: 3, seed: n },
    });
    cases.push({
      name: `sgemm n=${n} [webgpu, Float64Array in and out]`,
      params,
      flops: gemmFlops(n),
      subjects: {
        shallowscape: {
          async: true,
          reps: n >= 4096 ? 5 : 10,
          warmup: 2,
          note: 'the backend interface’s gemmAsync: round, upload, multiply, read back, widen',
          setup() {
            const rng = linalg.createRng(200 + n);
            const a = rng.fillNormal(new Float64Array(n * n));
            const b = rng.fillNormal(new Float64Array(n * n));
            const c = new Float64Array(n * n);
            return () => kernels.gemm(false, false, n, n, n, 1, a, b, 0, c);
          },
        },
      },
    });
    const gpujsName = `sgemm n=${n} [gpujs, webgpu mode]`;
    if (gpujs === null) {
      cases.push({ name: gpujsName, params, skip: `gpu.js has no WebGPU adapter: ${gpujsReason}` });
    } else {
      cases.push({
        name: gpujsName,
        params,
        flops: gemmFlops(n),
        subjects: {
          shallowscape: {
            async: true,
            reps: n >= 4096 ? 3 : 5,
            warmup: 1,
            note: 'gpu.js’s kernel (one output per thread), with its upload and read-back',
            setup() {
              const rng = linalg.createRng(300 + n);
              const a = rng.fillNormal(new Float64Array(n * n));
              const b = rng.fillNormal(new Float64Array(n * n));
              const c = new Float64Array(n * n);
              return () => gpujs.gemm(false, false, n, n, n, 1, a, b, 0, c);
            },
          },
        },
      });
    }
  }

  for (const [m, d, N] of shapes) {
    const params = { m, d, N, precision: 'float32', adapter };
    const name = `quadratic risk+grad m=${m} d=${d} N=${N} [webgpu]`;
    if (skip !== null) {
      cases.push({ name, params, skip });
      continue;
    }
    const data = () => {
      const rng = linalg.createRng(400 + d);
      const x = linalg.gaussianMatrix(N, d, rng);
      const y = rng.fillNormal(new Float64Array(N));
      const w = linalg.gaussianMatrix(m, d, rng);
      return { x, y, w };
    };
    const big = N * d >= 1e7;
    cases.push({
      name,
      params,
      subjects: {
        shallowscape: {
          async: true,
          reps: 20,
          warmup: 3,
          note: 'GpuQuadraticRisk.evaluate: X and y resident; W uploaded, the gradient and the risk’s partial sums read back',
          setup() {
            const { x, y, w } = data();
            const risk = webgpu.GpuQuadraticRisk.create(kernels, { x: x.data, y, n: N, d, m });
            const gradient = new Float64Array(m * d);
            return () => risk.evaluate(w.data, gradient);
          },
        },
        'device step': {
          async: true,
          reps: 5,
          warmup: 1,
          perCall: 100,
          note: 'one step of GpuQuadraticRisk.descend on the device: 100 steps in one command buffer, per step',
          setup() {
            const { x, y, w } = data();
            const risk = webgpu.GpuQuadraticRisk.create(kernels, { x: x.data, y, n: N, d, m });
            // 1e-12 keeps W (and the risk) where it starts over the timed steps.
            return () => risk.descend(w.data, { learningRate: 1e-12, maxSteps: 100, checkEvery: 100 });
          },
        },
        ...(wasm === null
          ? {}
          : {
              'wasm-simd': {
                reps: big ? 3 : 10,
                warmup: big ? 1 : 3,
                note: 'QuadraticEmpiricalRisk.valueAndGradient on the wasm-simd backend (float64, one core)',
                setup() {
                  const { x, y, w } = data();
                  const risk = new model.QuadraticEmpiricalRisk(x, y, m, { backend: wasm });
                  const points = [w.data, w.data.map((v) => 1.01 * v)];
                  const gradient = new Float64Array(m * d);
                  let call = 0;
                  return () => risk.valueAndGradient(points[call++ & 1], gradient);
                },
              },
            }),
      },
      torch: { op: 'quadraticRisk64', d, m, N, reps: 20, warmup: 3, seed: d },
      numpy: { op: 'quadraticRisk', n: d, k: N, m, reps: big ? 3 : 10, warmup: 1, seed: 400 + d },
    });
  }

  {
    const { m, d, n, steps } = training;
    const params = { m, d, N: n, steps, precision: 'float32', adapter };
    const name = `train ${steps} steps m=${m} d=${d} N=${n} [webgpu, end to end]`;
    if (skip !== null) cases.push({ name, params, skip });
    else {
      const config = { ...experiments.DEFAULT_QUADRATIC_TRAINING, m, d, n, teacherWidth: d, optimizer: 'gd', steps, historyEvery: 100, certify: false };
      cases.push({
        name,
        params,
        subjects: {
          shallowscape: {
            async: true,
            reps: 1,
            warmup: 0,
            note: 'trainQuadraticOnGpu: the problem drawn in float64 on the CPU, uploaded, the descent on the device, the final metrics in float64; the rate is ½ of the momentum default 1/λ̂ (estimated at N = 2000)',
            setup() {
              let learningRate = null;
              return async () => {
                if (learningRate === null) {
                  const probe = await experiments.trainQuadratic({ ...config, n: 2000, optimizer: 'momentum', learningRate: null, steps: 0 });
                  learningRate = 0.5 * probe.output.config.learningRate;
                }
                const t0 = performance.now();
                const result = await webgpu.trainQuadraticOnGpu(kernels, { ...config, learningRate });
                params.learningRate = learningRate;
                params.optimizerMs = result.optimizerMs;
                params.totalMs = performance.now() - t0;
                params.riskFirst = result.output.history.risk[0];
                params.riskLast = result.output.final.empiricalRisk;
                params.stopReason = result.output.stopReason;
              };
            },
          },
        },
      });
    }
  }
  return cases;
}
