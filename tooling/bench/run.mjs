#!/usr/bin/env node
// Benchmarks of @shallowscape/linalg against ml-matrix and (when python3 with numpy is present)
// single-threaded numpy, measured in the same run. Run from the repository root:
//
//   pnpm bench                       # builds, then runs every suite
//   node tooling/bench/run.mjs --quick --only gemm
//
// Prints a table per suite and writes bench-results/linalg.json (fields: README.md).

/**
 * @typedef {{ setup: () => () => unknown, reps: number, warmup: number, note?: string, async?: boolean, perCall?: number }} Subject
 * @typedef {{ op: string, n: number, reps: number, warmup: number, seed?: number }} NumpyCase
 * @typedef {{ name: string, params: object, flops?: number, skip?: string,
 *             subjects?: Record<string, Subject>, numpy?: NumpyCase,
 *             interleave?: boolean, teardown?: () => unknown }} Case
 * @typedef {{ linalg: any, ml: any, quick: boolean, variants: import('./backend-variants.mjs').BackendVariant[] }} SuiteContext
 * @typedef {{ name: string, description: string, cases: (ctx: SuiteContext) => Case[] | Promise<Case[]>,
 *             summarize?: (suite: object) => { data: object, lines: string[] } | null }} Suite
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, describePackage, probeNumpy, probeTorch } from './harness.mjs';
import { runSuite } from './run-suite.mjs';
import { backendVariants } from './backend-variants.mjs';
import { suites } from './suites/index.mjs';

const root = new URL('../../', import.meta.url);
const usage = `usage: node tooling/bench/run.mjs [--quick] [--only NAME[,NAME…]] [--out FILE] [--no-numpy]

  --quick      smaller sizes and fewer repetitions (a smoke run; numbers are indicative only)
  --only NAME  run only these suites (${suites.map((s) => s.name).join(', ')}); may be repeated
  --out FILE   where to write the JSON results (default: bench-results/linalg.json in the repository root)
  --no-numpy   do not run the numpy comparison even when numpy is available
  --keep-openblas-env  keep OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (by default the run removes them,
               for the native backend as for numpy, so that OpenBLAS picks its kernels itself)`;

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        out: { type: 'string' },
        'no-numpy': { type: 'boolean', default: false },
        'keep-openblas-env': { type: 'boolean', default: false },
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
  return { quick: parsed.quick, only, out: parsed.out, numpy: !parsed['no-numpy'], keepOpenblasEnv: parsed['keep-openblas-env'] };
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

/** The OpenBLAS settings this run removed (recorded in the JSON), from the process that re-ran it. */
const OPENBLAS_VARIABLES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

/**
 * OpenBLAS reads OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE once, when the native addon loads it; some
 * machines set them for older OpenBLAS builds, and they slow a current one. As for numpy's
 * subprocess, the benchmark runs without them: this process re-runs itself without them (unless
 * --keep-openblas-env) and exits with the child's status.
 */
function rerunWithoutOpenblasEnvironment(options) {
  const set = OPENBLAS_VARIABLES.filter((v) => process.env[v] !== undefined);
  if (options.keepOpenblasEnv || set.length === 0) return;
  const env = { ...process.env, SHALLOWSCAPE_BENCH_REMOVED_ENV: JSON.stringify(Object.fromEntries(set.map((v) => [v, process.env[v]]))) };
  for (const v of set) delete env[v];
  const child = spawnSync(process.execPath, process.argv.slice(1), { env, stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

async function main() {
  const options = parseOptions();
  rerunWithoutOpenblasEnvironment(options);
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
  const variants = await backendVariants(linalg);
  const native = variants.find((v) => v.label === 'native');
  console.log(
    native?.skip === null
      ? `native: ${native.params.openblas} (${native.params.openblasCore} kernels chosen by OpenBLAS; heap policy: ${native.params.heapPolicy})`
      : `native: skipped: ${native?.skip}`,
  );
  /** PyTorch on a CUDA device, probed when a suite asks for it. */
  let torch = null;
  const results = [];
  for (const suite of suites) {
    if (options.only && !options.only.includes(suite.name)) continue;
    const out = await runSuite(suite, { linalg, ml, quick: options.quick, variants }, { numpy, references, torch: () => (torch ??= probeTorch()) });
    results.push(out);
  }

  const report = {
    schema: 'shallowscape-bench/1',
    date: new Date().toISOString(),
    machine: { ...machine, loadAverageEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    package: pkg,
    options: { quick: options.quick, only: options.only },
    environment: {
      removed: JSON.parse(process.env.SHALLOWSCAPE_BENCH_REMOVED_ENV ?? '{}'),
      kept: Object.fromEntries(OPENBLAS_VARIABLES.filter((v) => process.env[v] !== undefined).map((v) => [v, process.env[v]])),
    },
    references: {
      'ml-matrix': { version: mlMatrixVersion() },
      numpy: numpy.available
        ? { available: true, version: numpy.version, blas: numpy.blas, python: numpy.python, threads: 1 }
        : { available: false, reason: numpy.reason },
      ...(torch !== null ? { pytorch: torch } : {}),
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
