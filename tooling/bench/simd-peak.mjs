// The SIMD128 peak of this machine for float64 as WebAssembly reaches it: a register-only loop of
// 12 independent chains a ← a·b + c on f64x2 (a multiply and an add per chain and step, as the
// wasm-simd gemm's micro-kernel does: WebAssembly SIMD has no fused multiply–add), compiled here by
// AssemblyScript (packages/linalg's devDependency) with the flags of the backend's module, run by
// V8. The gemm suite reports the wasm-simd kernel's fraction of it. It is the fastest register-only
// loop found (variants shaped like the 4 × 4 micro-kernel with fixed operands, or with separate
// multiply and add chains, were 10-20 % slower), and a lower bound of the machine's throughput:
// the micro-kernel, whose operands come from loads, can pass it (103-107 % at n = 1024-2048 on the
// 2-core Xeon of the package README).
const SOURCE = `
export function peak(steps: i32): f64 {
  const b = f64x2.splat(0.9999999);
  const c = f64x2.splat(1e-9);
  let a0 = f64x2.splat(0.1); let a1 = f64x2.splat(0.2); let a2 = f64x2.splat(0.3); let a3 = f64x2.splat(0.4);
  let a4 = f64x2.splat(0.5); let a5 = f64x2.splat(0.6); let a6 = f64x2.splat(0.7); let a7 = f64x2.splat(0.8);
  let a8 = f64x2.splat(0.9); let a9 = f64x2.splat(1.0); let a10 = f64x2.splat(1.1); let a11 = f64x2.splat(1.2);
  for (let i = 0; i < steps; i++) {
    a0 = f64x2.add(f64x2.mul(a0, b), c); a1 = f64x2.add(f64x2.mul(a1, b), c); a2 = f64x2.add(f64x2.mul(a2, b), c);
    a3 = f64x2.add(f64x2.mul(a3, b), c); a4 = f64x2.add(f64x2.mul(a4, b), c); a5 = f64x2.add(f64x2.mul(a5, b), c);
    a6 = f64x2.add(f64x2.mul(a6, b), c); a7 = f64x2.add(f64x2.mul(a7, b), c); a8 = f64x2.add(f64x2.mul(a8, b), c);
    a9 = f64x2.add(f64x2.mul(a9, b), c); a10 = f64x2.add(f64x2.mul(a10, b), c); a11 = f64x2.add(f64x2.mul(a11, b), c);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)));
  const t = f64x2.add(f64x2.add(a8, a9), f64x2.add(a10, a11));
  const u = f64x2.add(s, t);
  return f64x2.extract_lane(u, 0) + f64x2.extract_lane(u, 1);
}
`;

/** Floating-point operations of one step: 12 chains × (multiply + add) × 2 lanes. */
export const PEAK_FLOPS_PER_STEP = 48;

/**
 * Compiles the loop; returns `peak(steps)` (its result keeps the loop alive) and the compiled
 * module, or why it cannot run.
 *
 * @returns {Promise<{ peak: (steps: number) => number, module: WebAssembly.Module } | { unavailable: string }>}
 */
export async function simdPeakLoop() {
  let asc;
  try {
    // The compiler linalg's build uses (packages/linalg/node_modules/assemblyscript, its dist/asc.js).
    asc = await import(new URL('../../packages/linalg/node_modules/assemblyscript/dist/asc.js', import.meta.url).href);
  } catch (e) {
    return { unavailable: `AssemblyScript is not installed (${e.code ?? e.message})` };
  }
  const result = await asc.compileString(SOURCE, { optimizeLevel: 3, noAssert: true, runtime: 'stub', enable: ['simd'] });
  if (result.error || result.binary === null) return { unavailable: `AssemblyScript could not compile the loop: ${result.stderr?.toString().trim() ?? result.error}` };
  const module = new WebAssembly.Module(result.binary);
  const { exports } = new WebAssembly.Instance(module, {});
  return { peak: exports.peak, module };
}

/** The program of each helper thread of {@link simdPeakOnThreads}: run the loop for the steps asked, answer when done. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { peak } = new WebAssembly.Instance(workerData.module, {}).exports;
parentPort.on('message', (steps) => parentPort.postMessage(peak(steps)));
`;

/**
 * The loop of {@link simdPeakLoop} on `threads` threads at once (this one and `threads − 1` worker
 * threads, each with its own instance): `run(steps)` gives each thread `steps / threads` steps
 * and resolves when all have finished, so one call does the work of `peak(steps)` and its time
 * against `peak(steps)` is the machine's own scaling with threads, the ceiling of any product's.
 * `close()` stops the workers.
 *
 * @param {{ peak: (steps: number) => number, module: WebAssembly.Module }} loop - from simdPeakLoop.
 * @param {number} threads
 * @returns {Promise<{ run: (steps: number) => Promise<void>, close: () => Promise<void> }>}
 */
export async function simdPeakOnThreads(loop, threads) {
  const { Worker } = await import('node:worker_threads');
  const workers = Array.from({ length: threads - 1 }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { module: loop.module } }));
  // A worker fails only by throwing, which ends it: one 'error' listener for its life rejects the call in flight.
  const pending = new Map();
  for (const w of workers) w.on('error', (e) => pending.get(w)?.reject(e));
  const ask = (worker, steps) =>
    new Promise((resolve, reject) => {
      pending.set(worker, { reject });
      worker.once('message', resolve);
      worker.postMessage(steps);
    });
  return {
    async run(steps) {
      const each = Math.round(steps / threads);
      const others = workers.map((w) => ask(w, each));
      loop.peak(each);
      await Promise.all(others);
    },
    close: () => Promise.all(workers.map((w) => w.terminate())).then(() => undefined),
  };
}
