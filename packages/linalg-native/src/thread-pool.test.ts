/**
 * The lifetime of the addon's worker threads (src/native/thread-pool.cc), as `setNativeThreads`
 * documents it: workers start with the first product that needs them; when the count falls,
 * up to the machine's cores minus one of them stay asleep, so going from every core to one and
 * back starts no thread; workers beyond both the count and the cores are stopped.
 *
 * Each case runs in a child Node process and counts its threads in /proc/self/task (Linux), so
 * that no other test's threads are counted. Without the addon these tests skip, except on CI,
 * where they fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from './native-addon';

const addon = loadNativeAddon();
const onCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const skip = (!addon.available && !onCi) || !existsSync('/proc/self/task');

// Sets the count and runs a 4096 × 64 × 64 product (2^24 multiply–adds, above the pool's cutover
// of 2^23: eight bands of 512 rows) for each entry of `steps`, and records the process's threads
// before the first step and after each.
const PROGRAM = `
const { readdirSync } = require('node:fs');
const addon = require(addonPath);
const m = 4096, n = 64;
const a = new Float64Array(m * n).fill(0.5);
const b = new Float64Array(n * n).fill(0.25);
const c = new Float64Array(m * n);
const tasks = () => readdirSync('/proc/self/task').length;
const counts = [tasks()];
for (const step of steps) {
  addon.setThreads(step);
  addon.gemm(false, false, m, n, n, 1, a, b, 0, c);
  counts.push(tasks());
}
process.stdout.write(JSON.stringify(counts));
`;

/** The thread counts of a child that loads the addon and then takes `steps` (see PROGRAM). */
function threadCounts(steps: number[]): number[] {
  if (!addon.available) throw new Error(`the native addon must load on CI (CI=${process.env.CI}): ${addon.reason}`);
  const program = `const addonPath = ${JSON.stringify(addon.path)};\nconst steps = ${JSON.stringify(steps)};\n${PROGRAM}`;
  return JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' })) as number[];
}

describe('the worker threads of the native addon', () => {
  it.skipIf(skip)('start with the first product and stay when the count falls to 1 and rises again (every core ↔ 1: no thread started or stopped)', () => {
    // At least 2 (on one core the pool still keeps one worker: it keeps the count's), at most 4.
    const threads = Math.max(2, Math.min(availableParallelism(), 4));
    const counts = threadCounts([threads, 1, threads, 1, threads]);
    const base = counts[0]!;
    // threads − 1 workers joined the process with the first product; every later step keeps them.
    expect(counts.slice(1)).toEqual([1, 2, 3, 4, 5].map(() => base + threads - 1));
  });

  it.skipIf(skip)('beyond the machine’s cores, the extra workers are stopped when the count falls to 1', () => {
    // The pool's cap, beyond the cores of any machine these tests run on (the pool bounds the
    // workers it keeps by the cores the C++ runtime counts, which may exceed Node's count).
    const wide = 256;
    const counts = threadCounts([wide, 1]);
    const base = counts[0]!;
    // The product starts every worker of the count (its eight bands take eight of them)…
    expect(counts[1]).toBe(base + wide - 1);
    // …and falling to 1 stops them (more than the cores' bound of cores − 1 were running).
    expect(counts[2]).toBe(base);
  });
});
