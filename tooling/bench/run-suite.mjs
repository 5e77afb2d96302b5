// One suite of the benchmarks: its cases timed (synchronous or awaited subjects), each case's
// Shallowscape subject interleaved with numpy's calls in numpy's server (one python3 subprocess
// per suite), PyTorch's cases in one subprocess, the speed-ups, the table. Used by run.mjs and by
// the self-contained GPU bundle (tooling/gpu/).
import { INTERLEAVED_MIN_MS, median, printSuite, runNumpy, runTorch, startNumpyServer, timeAsyncFunction, timeFunction, timeInterleaved } from './harness.mjs';

/** A subject's record from its timing `t`: times, repetitions, GFLOP/s when the case counts flops, and `extra`. */
function resultOf(t, flops, extra = {}) {
  const res = { medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, reps: t.reps, warmup: t.warmup, ...extra };
  if (flops) res.gflops = flops / (t.medianMs * 1e6);
  return res;
}

/** Runs a reference's cases in its subprocess (`run`) and files each timing under `subject` in its case's record. */
function runReference(out, subject, label, cases, run) {
  process.stdout.write(`[${out.name}] ${label} …`);
  const timings = run(cases);
  process.stdout.write(' done\n');
  for (const rc of cases) {
    const t = timings.get(rc.id);
    const record = out.cases[Number(rc.id)];
    record.results[subject] = resultOf(t, record.flops, { op: rc.op, ...(t.form === undefined ? {} : { form: t.form }) });
  }
}

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
  /** numpy's server (harness.mjs startNumpyServer), started by the first case that compares with numpy. */
  let numpyServer = null;
  const numpyCases = [];
  // Short interleaved cases get more rounds, except in a --quick smoke run.
  const minMs = context.quick ? 0 : INTERLEAVED_MIN_MS;
  const torchCases = [];
  for (const c of await suite.cases(context)) {
    if (c.skip) {
      out.skipped.push({ name: c.name, params: c.params, reason: c.skip });
      console.log(`[${suite.name}] skipped ${c.name}: ${c.skip}`);
      continue;
    }
    const record = { name: c.name, params: c.params, flops: c.flops ?? null, results: {}, speedup: {} };
    if (c.interleave) {
      // The subjects timed round by round (timeInterleaved); each ratio is the median of the rounds' ratios.
      const entries = Object.entries(c.subjects);
      process.stdout.write(`[${suite.name}] ${c.name}: ${entries.map(([s]) => s).join(' / ')}, interleaved …`);
      const fns = [];
      for (const [, spec] of entries) fns.push(await spec.setup());
      const timings = await timeInterleaved(fns, { ...entries[0][1], minMs });
      entries.forEach(([subject, spec], i) => {
        const t = timings[i];
        record.results[subject] = resultOf(t, c.flops, {
          interleaved: true,
          ...(spec.note ? { note: spec.note } : {}),
          ...(t.burst ? { burst: t.burst } : {}),
          ...(i > 0 ? { ratios: t.ratios } : {}),
        });
        if (i > 0) record.speedup[subject] = median(t.ratios);
      });
      await c.teardown?.();
      process.stdout.write(` ${entries.map(([s], i) => `${s} ${timings[i].medianMs.toFixed(2)} ms`).join(', ')}\n`);
      out.cases.push(record);
      continue;
    }
    let numpyDone = false;
    for (const [subject, spec] of Object.entries(c.subjects)) {
      if (subject === 'shallowscape' && c.numpy && reference.numpy.available && (spec.perCall ?? 1) === 1) {
        // Shallowscape and numpy timed round by round (numpy in its server), the ratio the median of the rounds'.
        process.stdout.write(`[${suite.name}] ${c.name}: shallowscape / numpy, interleaved …`);
        numpyServer ??= startNumpyServer();
        const fn = await spec.setup();
        const { form } = await numpyServer.setup(c.numpy);
        const numpyCall = Object.assign(() => numpyServer.time(), { selfTimed: true });
        const [own, theirs] = await timeInterleaved([fn, numpyCall], { ...spec, minMs });
        await numpyServer.drop();
        record.results.shallowscape = resultOf(own, c.flops, { interleaved: true, ...(spec.note ? { note: spec.note } : {}) });
        record.results.numpy = resultOf(theirs, c.flops, { op: c.numpy.op, ...(form === null ? {} : { form }), interleaved: true, ratios: theirs.ratios });
        record.speedup.numpy = median(theirs.ratios);
        numpyDone = true;
        process.stdout.write(` ${own.medianMs.toFixed(2)} ms / ${theirs.medianMs.toFixed(2)} ms\n`);
        continue;
      }
      process.stdout.write(`[${suite.name}] ${c.name}: ${subject} …`);
      const fn = await spec.setup();
      const t = spec.async ? await timeAsyncFunction(fn, spec) : timeFunction(fn, spec);
      record.results[subject] = resultOf(t, c.flops, spec.note ? { note: spec.note } : {});
      process.stdout.write(` ${t.medianMs.toFixed(2)} ms\n`);
    }
    if (reference.numpy.available && c.numpy && !numpyDone) numpyCases.push({ id: `${out.cases.length}`, ...c.numpy });
    if (c.torch) torchCases.push({ id: `${out.cases.length}`, ...c.torch });
    out.cases.push(record);
  }
  await numpyServer?.close();
  if (numpyCases.length > 0) runReference(out, 'numpy', `numpy (${numpyCases.length} cases, one subprocess)`, numpyCases, runNumpy);
  if (torchCases.length > 0) {
    const torch = reference.torch();
    if (torch.available) runReference(out, 'pytorch', `PyTorch ${torch.version} on ${torch.device} (${torchCases.length} cases, one subprocess)`, torchCases, runTorch);
    else console.log(`[${suite.name}] no PyTorch reference: ${torch.reason}`);
  }
  for (const record of out.cases) {
    const own = record.results.shallowscape?.medianMs;
    for (const [subject, res] of Object.entries(record.results)) {
      if (subject !== 'shallowscape' && own !== undefined && !res.interleaved) record.speedup[subject] = res.medianMs / own;
    }
  }
  // Subjects of the suite's own (e.g. the sweep suite's "1 worker") get columns of their own.
  const own = out.cases.flatMap((c) => Object.keys(c.results)).filter((s) => s !== 'shallowscape' && !reference.references.includes(s));
  printSuite(out, [...reference.references, ...new Set(own)]);
  // A suite's own summary of its cases (e.g. a fitted exponent), printed and kept in the JSON.
  const summary = suite.summarize?.(out) ?? null;
  if (summary !== null) {
    out.summary = summary.data;
    for (const line of summary.lines) console.log(line);
  }
  return out;
}
