// Timing, machine description, the numpy subprocess and the table printer shared by the
// benchmark suites. See README.md for the meaning of every output field.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** Median of a non-empty list of numbers. */
export function median(values) {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Warm-up goes on past the requested calls until this much time has passed (JIT tier-up)… */
const MIN_WARMUP_MS = 500;
/** …but stops after this many calls. */
const MAX_WARMUP_CALLS = 25;

/** Whether warm-up goes on after `calls` calls begun at `start` (hrtime): at least `warmup`, then until MIN_WARMUP_MS, at most MAX_WARMUP_CALLS. */
function warmingUp(calls, warmup, start) {
  return calls < warmup || (calls > 0 && calls < MAX_WARMUP_CALLS && Number(process.hrtime.bigint() - start) / 1e6 < MIN_WARMUP_MS);
}

/**
 * Times `fn`: first untimed warm-up calls (at least `warmup`, then more until `MIN_WARMUP_MS`
 * have passed, at most `MAX_WARMUP_CALLS`), so V8 has optimised the hot code; then `reps` timed
 * calls. Returns the per-call times in milliseconds with their median, minimum and maximum,
 * and the number of warm-up calls made.
 */
export function timeFunction(fn, { reps, warmup }) {
  const start = process.hrtime.bigint();
  let calls = 0;
  while (warmingUp(calls, warmup, start)) {
    fn();
    calls++;
  }
  warmup = calls;
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), reps, warmup, timesMs: times };
}

/**
 * {@link timeFunction} for a function that returns a promise (GPU work): each call is awaited,
 * the same warm-up rule applies. `perCall` divides every time (a call that runs `perCall`
 * iterations, e.g. steps in one command buffer).
 */
export async function timeAsyncFunction(fn, { reps, warmup, perCall = 1 }) {
  const start = process.hrtime.bigint();
  let calls = 0;
  while (warmingUp(calls, warmup, start)) {
    await fn();
    calls++;
  }
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6 / perCall);
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), reps, warmup: calls, timesMs: times };
}

/** The most rounds {@link timeInterleaved} runs for a `minMs`, as a multiple of `reps`. */
export const INTERLEAVED_MAX_ROUNDS_FACTOR = 5;

/**
 * Wall time that the rounds of an interleaved case fill at least (`pnpm bench`, not `--quick`): a
 * case whose `reps` rounds are short gets more of them (up to five times as many), so that its
 * median of per-round ratios rests on more than a handful of rounds on a noisy machine.
 */
export const INTERLEAVED_MIN_MS = 3000;

/**
 * Times several subjects interleaved, for ratios between them on a machine whose speed drifts
 * (another tenant, a clock change): each is warmed up as {@link timeFunction} does, then `reps`
 * rounds call every subject once, the order rotating from round to round, and each is awaited (a
 * synchronous function is awaited as a value; a function with `selfTimed: true` resolves to its
 * own time in milliseconds, used instead of the wall time around it). Returns per subject what `timeAsyncFunction` does,
 * and per subject the per-round ratios `time(subject) ÷ time(first subject)` (`ratios`, in round
 * order): a drift between rounds falls on both terms of a ratio alike.
 *
 * With `minMs`, short subjects get more rounds: past `reps`, rounds go on while the rounds so far
 * took less than `minMs` in all, up to `INTERLEAVED_MAX_ROUNDS_FACTOR · reps` rounds (`reps` in
 * the result is the number of rounds run).
 *
 * With `burst > 1`, a round calls each subject `burst` times in a row and its time for the round
 * is the mean of the calls after the first, which is not timed (back-to-back calls, as in a loop of
 * gradient steps: on a virtual machine, threads left idle through the other subject's turn can
 * take milliseconds to wake, and the first call of a burst pays for that).
 *
 * @param {Array<() => unknown>} fns - the subjects; the first is the one every ratio divides by.
 * @param {{ reps: number, warmup: number, minMs?: number, burst?: number }} spec
 */
export async function timeInterleaved(fns, { reps, warmup, minMs = 0, burst = 1 }) {
  // A self-timed subject (`selfTimed: true`, e.g. numpy's, timed in its own process) resolves to its time in ms.
  const call = async (fn) => {
    const t0 = process.hrtime.bigint();
    const value = await fn();
    return fn.selfTimed ? value : Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const warmups = [];
  for (const fn of fns) {
    const start = process.hrtime.bigint();
    let calls = 0;
    while (warmingUp(calls, warmup, start)) {
      await fn();
      calls++;
    }
    warmups.push(calls);
  }
  const times = fns.map(() => []);
  const start = process.hrtime.bigint();
  const most = INTERLEAVED_MAX_ROUNDS_FACTOR * reps;
  let rounds = 0;
  const more = () => rounds < reps || (rounds < most && Number(process.hrtime.bigint() - start) / 1e6 < minMs);
  for (; more(); rounds++) {
    for (let j = 0; j < fns.length; j++) {
      const i = (rounds + j) % fns.length;
      const first = await call(fns[i]);
      let rest = 0;
      for (let b = 1; b < burst; b++) rest += await call(fns[i]);
      times[i].push(burst > 1 ? rest / (burst - 1) : first);
    }
  }
  return times.map((ts, i) => ({
    medianMs: median(ts),
    minMs: Math.min(...ts),
    maxMs: Math.max(...ts),
    reps: rounds,
    warmup: warmups[i],
    timesMs: ts,
    ratios: ts.map((t, r) => t / times[0][r]),
    ...(burst > 1 ? { burst } : {}),
  }));
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** CPU model, core count, memory, Node and OS versions, load averages. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} (${os.platform()}-${os.arch()})`,
    loadAverageStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Name, version and git commit of the package under test. */
export function describePackage(manifestUrl) {
  const manifest = JSON.parse(readFileSync(fileURLToPath(manifestUrl), 'utf8'));
  const cwd = fileURLToPath(new URL('.', manifestUrl));
  return {
    name: manifest.name,
    version: manifest.version,
    commit: run('git', ['rev-parse', '--short', 'HEAD'], { cwd }),
    dirty: (run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd }) ?? '') !== '',
  };
}

/**
 * The environment of the numpy subprocess: single-threaded BLAS (OPENBLAS_NUM_THREADS = 1,
 * OMP_NUM_THREADS = 1, MKL_NUM_THREADS = 1) and OpenBLAS's own CPU detection (OPENBLAS_CORETYPE
 * and OPENBLAS_L2_SIZE removed). Only the child's environment changes.
 */
export function numpyEnvironment() {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

const numpyScript = fileURLToPath(new URL('./numpy_bench.py', import.meta.url));

const torchScript = fileURLToPath(new URL('./torch_bench.py', import.meta.url));

/** Whether python3 with PyTorch and a CUDA device runs here: `{ available, version?, device?, reason? }`. */
export function probeTorch() {
  const r = spawnSync('python3', [torchScript, '--probe'], { encoding: 'utf8' });
  if (r.error) return { available: false, reason: `python3 not runnable: ${r.error.message}` };
  if (r.status !== 0) return { available: false, reason: (r.stderr || 'the PyTorch probe failed').trim().split('\n').pop() };
  return { available: true, ...JSON.parse(r.stdout) };
}

/** Runs PyTorch cases (`[{ id, op, …, reps, warmup, seed }]`) in one python3 subprocess; returns a map id → timing. */
export function runTorch(cases) {
  if (cases.length === 0) return new Map();
  const r = spawnSync('python3', [torchScript], { input: JSON.stringify({ cases }), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`torch_bench.py failed: ${(r.stderr || '').trim()}`);
  return new Map(JSON.parse(r.stdout).results.map((x) => [x.id, x]));
}

/** Whether python3 with numpy runs here: `{ available, version?, blas?, reason? }`. */
export function probeNumpy() {
  const r = spawnSync('python3', [numpyScript, '--probe'], { encoding: 'utf8', env: numpyEnvironment() });
  if (r.error) return { available: false, reason: `python3 not runnable: ${r.error.message}` };
  if (r.status !== 0) return { available: false, reason: (r.stderr || 'python3 numpy probe failed').trim().split('\n').pop() };
  return { available: true, ...JSON.parse(r.stdout) };
}

/**
 * numpy in a long-lived single-threaded python3 subprocess (`numpy_bench.py --serve`), so that its
 * calls can be interleaved with Shallowscape's (see `timeInterleaved`): `setup(case)` builds a case
 * (`{ op, n, k?, m?, seed, reps, warmup }`: its fastest form, warm-up calls made) and resolves to
 * `{ form }`; `time()` times one call there and resolves to milliseconds; `drop()` frees the case;
 * `close()` ends the process. A failed command rejects with numpy's message.
 */
export function startNumpyServer() {
  const child = spawn('python3', [numpyScript, '--serve'], { env: numpyEnvironment(), stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const ended = new Promise((resolve) => child.once('close', resolve));
  const ask = (message) =>
    new Promise((resolve, reject) => {
      waiting.push((answer) => (answer.error === undefined ? resolve(answer) : reject(new Error(`numpy_bench.py: ${answer.error}`))));
      ended.then((code) => reject(new Error(`numpy_bench.py --serve ended (${code})`)));
      child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  return {
    setup: (numpyCase) => ask({ cmd: 'setup', ...numpyCase }),
    time: () => ask({ cmd: 'time' }).then((answer) => answer.ms),
    drop: () => ask({ cmd: 'drop' }),
    close: () => {
      child.stdin.end();
      return ended;
    },
  };
}

/**
 * Runs numpy cases (`[{ id, op, n, reps, warmup, seed }]`) in one single-threaded python3
 * subprocess; returns a map id → timing (`medianMs`, `minMs`, `maxMs`, `reps`, `warmup`).
 */
export function runNumpy(cases) {
  if (cases.length === 0) return new Map();
  const r = spawnSync('python3', [numpyScript], {
    input: JSON.stringify({ cases }),
    encoding: 'utf8',
    env: numpyEnvironment(),
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`numpy_bench.py failed: ${(r.stderr || '').trim()}`);
  const out = JSON.parse(r.stdout);
  return new Map(out.results.map((x) => [x.id, x]));
}

function pad(s, width, right = false) {
  const t = String(s);
  return right ? t.padStart(width) : t.padEnd(width);
}

const fmtMs = (x) => (x === undefined ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtRatio = (x) => (x === undefined ? '–' : `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`);

/** Prints one suite's results as a table: medians (ms), GFLOP/s, and speed-ups. */
export function printSuite(suite, references) {
  const cols = ['case', 'shallowscape ms', 'GFLOP/s', ...references.flatMap((r) => [`${r} ms`, `vs ${r}`])];
  const rows = suite.cases.map((c) => {
    const own = c.results.shallowscape;
    return [
      c.name,
      fmtMs(own?.medianMs),
      own?.gflops === undefined ? '' : own.gflops.toFixed(2),
      ...references.flatMap((r) => [fmtMs(c.results[r]?.medianMs), fmtRatio(c.speedup[r])]),
    ];
  });
  const widths = cols.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  console.log(`\n${suite.name}: ${suite.description}`);
  if (rows.length === 0) {
    for (const s of suite.skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
    return;
  }
  console.log(cols.map((h, i) => pad(h, widths[i], i > 0)).join('  '));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(r.map((v, i) => pad(v, widths[i], i > 0)).join('  '));
  for (const c of suite.cases) {
    for (const [subject, res] of Object.entries(c.results)) {
      if (res.note) console.log(`  note (${c.name}, ${subject}): ${res.note}`);
    }
  }
  for (const s of suite.skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
}
