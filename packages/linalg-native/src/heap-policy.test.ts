/**
 * The heap policy the addon sets when it loads (src/native/heap-policy.cc): under glibc, blocks
 * up to 32 MiB come from the heap and up to 128 MiB of freed memory is kept for reuse, unless the
 * environment sets a malloc tunable.
 *
 * Each case runs in a child Node process, since the policy is set once per process when the
 * addon loads. The retention test measures what the policy promises: after eight freed 8 MiB
 * arrays (the output of an n = 1024 product) have been collected, the process still holds their
 * memory. With a malloc variable set (here `MALLOC_TOP_PAD_` at its default of 128 KiB, which also
 * fixes glibc's mmap threshold at 128 KiB) glibc's policy stays: each 8 MiB array is a mapping of
 * its own, returned to the system when freed. Without the addon these tests skip, except on CI, where they fail.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from './native-addon';

const addon = loadNativeAddon();
const onCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const glibc = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime !== undefined;
const skip = !addon.available && !onCi;

/** The environment of a child: this one without any malloc setting, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('MALLOC_') || name === 'GLIBC_TUNABLES') delete env[name];
  return { ...env, ...extra };
}

/** Runs `script` (CommonJS, with `addonPath` defined) in a child Node and parses what it prints. */
function inChild<T>(script: string, extra: Record<string, string> = {}): T {
  if (!addon.available) throw new Error(`the native addon must load on CI (CI=${process.env.CI}): ${addon.reason}`);
  const program = `const addonPath = ${JSON.stringify(addon.path)};\n${script}`;
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', program], { env: childEnv(extra), encoding: 'utf8' })) as T;
}

const REPORT_POLICY = 'process.stdout.write(JSON.stringify(require(addonPath).heapPolicy()));';

// Loads the addon, then allocates and writes eight 8 MiB arrays, drops them and collects them
// (twice, a tick apart, so that V8's sweeper has freed their memory), and prints the resident
// memory (MiB) before and after the collection.
const RETENTION = `
require(addonPath);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
(async () => {
  let arrays = [];
  for (let i = 0; i < 8; i++) arrays.push(new Float64Array(1 << 20).fill(i + 1));
  const held = process.memoryUsage().rss / 2 ** 20;
  arrays = null;
  for (let round = 0; round < 2; round++) { globalThis.gc(); await sleep(50); }
  const after = process.memoryUsage().rss / 2 ** 20;
  process.stdout.write(JSON.stringify({ held, after }));
})();
`;

describe('the heap policy of the native addon', () => {
  it.skipIf(skip)('sets glibc\u2019s thresholds (32 MiB blocks from the heap, 128 MiB kept) when the environment sets none', () => {
    const policy = inChild<{ source: string; mmapThreshold: number | null; trimThreshold: number | null }>(REPORT_POLICY);
    if (glibc) expect(policy).toEqual({ source: 'addon', mmapThreshold: 33554432, trimThreshold: 134217728 });
    else expect(policy).toEqual({ source: 'unsupported', mmapThreshold: null, trimThreshold: null });
    // Tunables of other glibc modules are not malloc settings.
    const other = inChild<{ source: string }>(REPORT_POLICY, { GLIBC_TUNABLES: 'glibc.pthread.stack_cache_size=1048576' });
    expect(other.source).toBe(glibc ? 'addon' : 'unsupported');
  });

  it.skipIf(skip || !glibc)('leaves glibc\u2019s policy to a MALLOC_* variable or a glibc.malloc tunable', () => {
    const settings: Record<string, string>[] = [
      { MALLOC_TRIM_THRESHOLD_: '1048576' },
      { MALLOC_MMAP_THRESHOLD_: '1048576' },
      { MALLOC_TOP_PAD_: '131072' },
      { MALLOC_MMAP_MAX_: '65536' },
      { GLIBC_TUNABLES: 'glibc.pthread.stack_cache_size=1048576:glibc.malloc.trim_threshold=1048576' },
    ];
    for (const extra of settings) {
      expect(inChild(REPORT_POLICY, extra), JSON.stringify(extra)).toEqual({ source: 'environment', mmapThreshold: null, trimThreshold: null });
    }
  });

  it.skipIf(skip || !glibc)('keeps the memory of collected 8 MiB outputs for reuse, where glibc\u2019s own policy returns it', () => {
    const kept = inChild<{ held: number; after: number }>(RETENTION);
    const own = inChild<{ held: number; after: number }>(RETENTION, { MALLOC_TOP_PAD_: '131072' });
    // 64 MiB were written: the policy keeps (nearly) all of them; glibc's policy returns most of them.
    expect(kept.held - kept.after, JSON.stringify(kept)).toBeLessThan(16);
    expect(own.held - own.after, JSON.stringify(own)).toBeGreaterThan(32);
  });
});
