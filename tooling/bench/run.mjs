#!/usr/bin/env node
// Benchmarks of @shallowscape/linalg against ml-matrix and (when python3 with numpy is present)
// single-threaded numpy, measured in the same run. Run from the repository root:
//
//   pnpm bench                       # builds, then runs every suite
//   node tooling/bench/run.mjs --quick --only gemm
//
// Prints a table per suite and writes bench-results/linalg.json (fields: README.md).

/**
 * @typedef {{ setup: () => () => unknown, reps: number, warmup: number, note?: string }} Subject
 * @typedef {{ op: string, n: number, reps: number, warmup: number, seed?: number }} NumpyCase
 * @typedef {{ name: string, params: object, flops?: number, skip?: string,
 *             subjects?: Record<string, Subject>, numpy?: NumpyCase }} Case
 * @typedef {{ linalg: any, ml: any, quick: boolean }} SuiteContext
 * @typedef {{ name: string, description: string, cases: (ctx: SuiteContext) => Case[] }} Suite
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, describePackage, printSuite, probeNumpy, runNumpy, timeFunction } from './harness.mjs';
import { suites } from './suites/index.mjs';

const root = new URL('../../', import.meta.url);
const usage = `usage: node tooling/bench/run.mjs [--quick] [--only NAME[,NAME…]] [--out FILE] [--no-numpy]

  --quick      smaller sizes and fewer repetitions (a smoke run; numbers are indicative only)
  --only NAME  run only these suites (${suites.map((s) => s.name).join(', ')}); may be repeated
  --out FILE   where to write the JSON results (default: bench-results/linalg.json in the repository root)
  --no-numpy   do not run the numpy comparison even when numpy is available`;

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        out: { type: 'string' },
        'no-numpy': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    console.error(`${e.message}\n${usage}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(usage);
    process.exit(0);
  }
  const only = parsed.only?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) ?? null;
  const known = new Set(suites.map((s) => s.name));
  for (const name of only ?? []) {
    if (!known.has(name)) {
      console.error(`unknown suite for --only: ${JSON.stringify(name)} (known: ${[...known].join(', ')})`);
      process.exit(2);
    }
  }
  return { quick: parsed.quick, only, out: parsed.out, numpy: !parsed['no-numpy'] };
}

async function loadLinalg() {
  const dist = new URL('packages/linalg/dist/index.js', root);
  if (!existsSync(fileURLToPath(dist))) {
    console.error(`${fileURLToPath(dist)} is missing: build first (pnpm bench builds, or run pnpm build).`);
    process.exit(2);
  }
  return import(dist.href);
}

function mlMatrixVersion() {
  try {
    const pkg = fileURLToPath(new URL('node_modules/ml-matrix/package.json', root));
    return JSON.parse(readFileSync(pkg, 'utf8')).version;
  } catch {
    return null;
  }
}

async function main() {
  const options = parseOptions();
  const linalg = await loadLinalg();
  const ml = await import('ml-matrix');
  const numpy = options.numpy ? probeNumpy() : { available: false, reason: 'disabled with --no-numpy' };
  const machine = describeMachine();
  const pkg = describePackage(new URL('packages/linalg/package.json', root));

  console.log(`@shallowscape/linalg ${pkg.version}${pkg.commit ? ` (${pkg.commit}${pkg.dirty ? ', uncommitted changes' : ''})` : ''}`);
  console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.os}, load ${machine.loadAverageStart.join(' ')}`);
  console.log(`ml-matrix ${mlMatrixVersion() ?? '?'}; numpy ${numpy.available ? `${numpy.version} (${numpy.blas}, 1 thread)` : `skipped: ${numpy.reason}`}`);
  if (options.quick) console.log('--quick: reduced sizes and repetitions');

  const references = ['ml-matrix', ...(numpy.available ? ['numpy'] : [])];
  const results = [];
  for (const suite of suites) {
    if (options.only && !options.only.includes(suite.name)) continue;
    const out = { name: suite.name, description: suite.description, cases: [], skipped: [] };
    const numpyCases = [];
    for (const c of suite.cases({ linalg, ml, quick: options.quick })) {
      if (c.skip) {
        out.skipped.push({ name: c.name, params: c.params, reason: c.skip });
        console.log(`[${suite.name}] skipped ${c.name}: ${c.skip}`);
        continue;
      }
      const record = { name: c.name, params: c.params, flops: c.flops ?? null, results: {}, speedup: {} };
      for (const [subject, spec] of Object.entries(c.subjects)) {
        process.stdout.write(`[${suite.name}] ${c.name}: ${subject} …`);
        const fn = spec.setup();
        const t = timeFunction(fn, spec);
        const res = { medianMs: t.medianMs, minMs: t.minMs, maxMs: t.maxMs, reps: t.reps, warmup: t.warmup };
        if (c.flops) res.gflops = c.flops / (t.medianMs * 1e6);
        if (spec.note) res.note = spec.note;
        record.results[subject] = res;
        process.stdout.write(` ${t.medianMs.toFixed(2)} ms\n`);
      }
      if (numpy.available && c.numpy) numpyCases.push({ id: `${out.cases.length}`, ...c.numpy });
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
    for (const record of out.cases) {
      const own = record.results.shallowscape?.medianMs;
      for (const [subject, res] of Object.entries(record.results)) {
        if (subject !== 'shallowscape' && own !== undefined) record.speedup[subject] = res.medianMs / own;
      }
    }
    // Subjects of the suite's own (e.g. the sweep suite's "1 worker") get columns of their own.
    const own = out.cases.flatMap((c) => Object.keys(c.results)).filter((s) => s !== 'shallowscape' && !references.includes(s));
    printSuite(out, [...references, ...new Set(own)]);
    results.push(out);
  }

  const report = {
    schema: 'shallowscape-bench/1',
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    package: pkg,
    options: { quick: options.quick, only: options.only },
    references: {
      'ml-matrix': { version: mlMatrixVersion() },
      numpy: numpy.available
        ? { available: true, version: numpy.version, blas: numpy.blas, python: numpy.python, threads: 1 }
        : { available: false, reason: numpy.reason },
    },
    suites: results,
  };
  const outPath =
    options.out === undefined
      ? fileURLToPath(new URL('bench-results/linalg.json', root))
      : fileURLToPath(new URL(options.out, pathToFileURL(`${process.cwd()}/`)));
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${outPath}`);
}

await main();
