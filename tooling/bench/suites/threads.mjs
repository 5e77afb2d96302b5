// threads suite: what every core adds, as the speed-up of T threads (T = this machine's cores) over
// one, each case's two subjects timed interleaved (harness.mjs timeInterleaved: round by round,
// the ratio of each round, their median), so that a drift of a shared machine's speed falls on
// both alike:
//
// - `SIMD128 peak loop`: the register-only loop of simd-peak.mjs, its steps shared by T threads
//   against one thread doing them all: the machine's own scaling, the ceiling of any product's
//   (two vCPUs of a virtual machine need not give twice one);
// - `gemm 2048` and quadratic `risk+grad d=100 m=200 N=20000` (the sizes the issue names) on the
//   wasm-simd backend (worker threads over shared memory) and on the native one (OpenBLAS's threads
//   over a fixed partition), T threads against 1: the same bits, so the same work.
//
// The summary gives each product's speed-up and its fraction of the loop's.
import os from 'node:os';
import { simdPeakLoop, simdPeakOnThreads } from '../simd-peak.mjs';
import { modelMissing, riskAndGradient } from './quadratic-risk.mjs';

/** Steps of the peak loop per call: 48 flops a step, about 0.2 s on one thread at 18 GFLOP/s. */
const PEAK_STEPS = 8e7;
/**
 * Calls of risk + gradient per subject and round, timed after the first (see timeInterleaved's
 * `burst`): a training loop calls it back to back, while the other subject's turn leaves the
 * threads idle for longer than a VM's vCPU stays awake, so the first call of a burst is not timed.
 */
const RISK_BURST = 4;
/** The name of the loop's case, whose speed-up is the ceiling of the others'. */
const PEAK_CASE = 'SIMD128 peak loop';

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'threads',
  description: 'speed-up of every core over one thread (the two timed interleaved; median of per-round ratios)',
  async cases({ linalg, quick, variants }) {
    const cores = os.availableParallelism();
    if (cores < 2) return [{ name: 'threads', params: { cores }, skip: 'one core: nothing to scale' }];
    const cases = [];
    const loop = await simdPeakLoop();
    if ('unavailable' in loop) {
      cases.push({ name: PEAK_CASE, params: { threads: cores }, skip: loop.unavailable });
    } else {
      let team = null;
      cases.push({
        name: PEAK_CASE,
        params: { threads: cores, steps: PEAK_STEPS },
        flops: 48 * PEAK_STEPS,
        interleave: true,
        subjects: {
          shallowscape: {
            reps: quick ? 5 : 15,
            warmup: 3,
            note: `the steps shared by ${cores} threads (this one and worker threads, an instance each)`,
            setup: async () => {
              team = await simdPeakOnThreads(loop, cores);
              return () => team.run(PEAK_STEPS);
            },
          },
          '1 thread': { note: 'all the steps on this thread', setup: () => () => loop.peak(PEAK_STEPS) },
        },
        teardown: () => team?.close(),
      });
    }
    const pair = (backend) => {
      const one = variants.find((v) => v.params.backend === backend && v.params.threads === 1);
      const all = variants.find((v) => v.params.backend === backend && v.params.threads === cores);
      return { one, all, skip: one?.skip ?? all?.skip ?? (one && all ? null : `no ${backend} variants`) };
    };
    const n = quick ? 1024 : 2048;
    const shape = quick ? [50, 100, 10000] : [100, 200, 20000];
    for (const backend of ['wasm-simd', 'native']) {
      const { one, all, skip } = pair(backend);
      const params = { backend, threads: cores };
      const gemmName = `gemm ${n} [${backend}]`;
      if (skip !== null) {
        cases.push({ name: gemmName, params: { ...params, n }, skip });
      } else {
        const inputs = () => {
          const rng = linalg.createRng(n);
          return [linalg.gaussianMatrix(n, n, rng), linalg.gaussianMatrix(n, n, rng)];
        };
        const gemmOn = (variant) => () => {
          const [a, b] = inputs();
          return () => linalg.gemm(a, b, { backend: variant.backend });
        };
        cases.push({
          name: gemmName,
          params: { ...params, n },
          flops: 2 * n ** 3,
          interleave: true,
          subjects: {
            shallowscape: { reps: quick ? 3 : 9, warmup: 2, note: all.note, setup: gemmOn(all) },
            '1 thread': { note: one.note, setup: gemmOn(one) },
          },
        });
      }
      const [d, m, N] = shape;
      const riskName = `risk+grad d=${d} m=${m} N=${N} [${backend}]`;
      const missing = skip ?? modelMissing();
      if (missing !== null) {
        cases.push({ name: riskName, params: { ...params, d, m, N }, skip: missing });
        continue;
      }
      cases.push({
        name: riskName,
        params: { ...params, d, m, N },
        flops: 4 * N * d * d + 4 * m * d * d,
        interleave: true,
        subjects: {
          shallowscape: { reps: quick ? 5 : 21, warmup: 3, burst: RISK_BURST, note: all.note, setup: () => riskAndGradient(linalg, all.backend, shape, 5000 + d) },
          '1 thread': { note: one.note, setup: () => riskAndGradient(linalg, one.backend, shape, 5000 + d) },
        },
      });
    }
    return cases;
  },
  summarize(out) {
    const scaling = Object.fromEntries(out.cases.map((c) => [c.name, c.speedup['1 thread']]));
    const ceiling = scaling[PEAK_CASE];
    const products = out.cases.filter((c) => c.name !== PEAK_CASE);
    if (out.cases.length === 0) return null;
    const quartiles = (c) => {
      const r = [...c.results['1 thread'].ratios].sort((x, y) => x - y);
      return [r[Math.floor((r.length - 1) / 4)], r[Math.ceil((3 * (r.length - 1)) / 4)]];
    };
    return {
      data: {
        threads: out.cases[0].params.threads,
        peakLoopSpeedup: ceiling ?? null,
        speedup: Object.fromEntries(products.map((c) => [c.name, { median: scaling[c.name], quartiles: quartiles(c), ofPeakLoop: ceiling === undefined ? null : scaling[c.name] / ceiling, burst: c.results['1 thread'].burst ?? 1 }])),
      },
      lines: [
        `  ${out.cases[0].params.threads} threads over 1 (median of per-round ratios, quartiles):`,
        ...out.cases.map((c) => {
          const [q1, q3] = quartiles(c);
          const of = ceiling !== undefined && c.name !== PEAK_CASE ? `, ${((100 * scaling[c.name]) / ceiling).toFixed(0)}% of the loop's` : '';
          const burst = c.results['1 thread'].burst;
          const calls = burst ? `; calls ${burst} at a time, the first untimed` : '';
          return `    ${c.name}: ${scaling[c.name].toFixed(2)}× (${q1.toFixed(2)}–${q3.toFixed(2)})${of}${calls}`;
        }),
      ],
    };
  },
};
