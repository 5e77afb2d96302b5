// One suite of the benchmarks: its cases timed (synchronous or awaited subjects), numpy's and
// PyTorch's cases run in one subprocess each, the speed-ups, the table. Used by run.mjs and by the
// self-contained GPU bundle (tooling/gpu/).
import { printSuite, runNumpy, runTorch, timeAsyncFunction, timeFunction } from './harness.mjs';

/**
 * Runs `suite` and prints its table.
 *
 * @param {import('./run.mjs').Suite} suite
 * @param {import('./run.mjs').SuiteContext} context - what the suite's `cases` get.
 * @param {{ numpy: { available: boolean }, references: string[], torch: () => { available: boolean, version?: string, device?: string, reason?: string } }} reference -
 *   numpy's probe, the reference columns always shown, and PyTorch's probe (called only when a case asks for it).
 * @returns {Promise<object>} the suite's record for the JSON report.
 */
export async function runSuite(suite, context, reference) {
  const out = { name: suite.name, description: suite.description, cases: [], skipped: [] };
  const numpyCases = [];
  const torchCases = [];
  for (const c of await suite.cases(context)) {
    if (c.skip) {
      out.skipped.push({ name: c.name, params: c.params, reason: c.skip });
      console.log(`[${suite.name}] skipped ${c.name}: ${c.skip}`);
      continue;
    }
    const record = { name: c.name, params: c.params, flops: c.flops ?? null, results: {}, speedup: {} };
    for (const [subject, spec] of Object.entries(c.subjects)) {
      process.stdout.write(`[${suite.name}] ${c.name}: ${subject} …`);
      const fn = await spec.setup();
      const t = spec.async ? await timeAsyncFunction(fn, spec) : timeFunction(fn, spec);
      const res = { medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, reps: t.reps, warmup: t.warmup };
      if (c.flops) res.gflops = c.flops / (t.medianMs * 1e6);
      if (spec.note) res.note = spec.note;
      record.results[subject] = res;
      process.stdout.write(` ${t.medianMs.toFixed(2)} ms\n`);
    }
    if (reference.numpy.available && c.numpy) numpyCases.push({ id: `${out.cases.length}`, ...c.numpy });
    if (c.torch) torchCases.push({ id: `${out.cases.length}`, ...c.torch });
    out.cases.push(record);
  }
  if (numpyCases.length > 0) {
    process.stdout.write(`[${suite.name}] numpy (${numpyCases.length} cases, one subprocess) …`);
    const timings = runNumpy(numpyCases);
    process.stdout.write(' done\n');
    for (const nc of numpyCases) {
      const t = timings.get(nc.id);
      const record = out.cases[Number(nc.id)];
      const res = { medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, reps: t.reps, warmup: t.warmup, op: nc.op };
      if (record.flops) res.gflops = record.flops / (t.medianMs * 1e6);
      record.results.numpy = res;
    }
  }
  if (torchCases.length > 0) {
    const torch = reference.torch();
    if (torch.available) {
      process.stdout.write(`[${suite.name}] PyTorch ${torch.version} on ${torch.device} (${torchCases.length} cases, one subprocess) …`);
      const timings = runTorch(torchCases);
      process.stdout.write(' done\n');
      for (const tc of torchCases) {
        const t = timings.get(tc.id);
        const record = out.cases[Number(tc.id)];
        const res = { medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, reps: t.reps, warmup: t.warmup, op: tc.op };
        if (record.flops) res.gflops = record.flops / (t.medianMs * 1e6);
        record.results.pytorch = res;
      }
    } else console.log(`[${suite.name}] no PyTorch reference: ${torch.reason}`);
  }
  for (const record of out.cases) {
    const own = record.results.shallowscape?.medianMs;
    for (const [subject, res] of Object.entries(record.results)) {
      if (subject !== 'shallowscape' && own !== undefined) record.speedup[subject] = res.medianMs / own;
    }
  }
  // Subjects of the suite's own (e.g. the sweep suite's "1 worker") get columns of their own.
  const own = out.cases.flatMap((c) => Object.keys(c.results)).filter((s) => s !== 'shallowscape' && !reference.references.includes(s));
  printSuite(out, [...reference.references, ...new Set(own)]);
  return out;
}
