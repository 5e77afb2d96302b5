/**
 * What a run may cost: refuse, before allocating anything, a run that cannot fit in memory or
 * needs an array longer than JavaScript allows; say on stderr what a big run will cost.
 *
 * A command estimates its run from its sizes alone ({@link ResourceEstimate}: the bytes of its
 * float64 arrays at the peak, the length of its largest single array, its floating-point
 * operations) and calls {@link checkRunCost} before allocating, which
 *
 * 1. refuses ({@link ResourceLimitError}, exit 2) when the largest array is longer than
 *    {@link MAX_TYPED_ARRAY_LENGTH} (2³² entries in Node 20: `new Float64Array(n)` throws
 *    `Invalid typed array length` beyond it, whatever the memory);
 * 2. refuses when the estimate exceeds the **memory budget** ({@link memoryBudget}): the
 *    machine's physical memory (`os.totalmem()`), or the container's limit
 *    (`process.constrainedMemory()`, a cgroup limit) when that is smaller, or the limit set with
 *    the environment variable `SHALLOWSCAPE_MEMORY_LIMIT` (e.g. `8GB`, `512MiB`, bytes). Not
 *    the free memory (`os.freemem()`): it changes from second to second, and the operating system
 *    can free page cache or swap to make room, so a run above it may well succeed; a run above
 *    the physical memory cannot;
 * 3. otherwise prints one notice on stderr ({@link costNotice}) when the run is big: it needs at
 *    least {@link NOTICE_BYTES} (1 GB), or more than the memory free now (then it may swap or be
 *    killed), or its operations take at least {@link NOTICE_SECONDS} (a minute) at the assumed
 *    throughput {@link ASSUMED_FLOPS_PER_SECOND} (2·10⁹ float64 operations a second: what the
 *    wasm-simd kernels reach on one core for the products that dominate; the reference backend
 *    is slower, so the notice errs on the short side).
 *
 * Sizes are printed in decimal units (1 GB = 10⁹ bytes), as `df` and disk makers do.
 *
 * @packageDocumentation
 */
import { constants as bufferConstants } from 'node:buffer';
import { freemem, totalmem } from 'node:os';
import { ShallowscapeError } from '@shallowscape/linalg';
import type { Environment, OutputStream } from '../context';

/** The longest typed array this runtime can allocate, in entries (2³² in Node 20, 2⁵³ − 1 in Node 22). */
export const MAX_TYPED_ARRAY_LENGTH: number = bufferConstants.MAX_LENGTH;

/** A run that needs at least this many bytes gets a notice (1 GB). */
export const NOTICE_BYTES = 1e9;

/** A run whose operations take at least this many seconds at {@link ASSUMED_FLOPS_PER_SECOND} gets a notice. */
export const NOTICE_SECONDS = 60;

/** The float64 throughput assumed for time estimates: 2·10⁹ operations a second. */
export const ASSUMED_FLOPS_PER_SECOND = 2e9;

/** The environment variable that lowers (or sets) the memory budget: bytes, or a number with kB, MB, GB, TB, KiB, MiB, GiB, TiB. */
export const MEMORY_LIMIT_VARIABLE = 'SHALLOWSCAPE_MEMORY_LIMIT';

/** What a run will cost, estimated from its sizes (the shape of `RunCost` in `@shallowscape/experiments`). */
export interface ResourceEstimate {
  /** Bytes of the arrays alive at the peak. */
  bytes: number;
  /** Entries of the largest single typed array. */
  largestArray: number;
  /** Floating-point operations of the whole run (optional: no time estimate without it). */
  flops?: number;
}

/** The memory a run may use and where that number comes from. */
export interface MemoryBudget {
  /** The budget in bytes. */
  bytes: number;
  /** Its source, in words, for messages: `physical memory`, `container limit`, `SHALLOWSCAPE_MEMORY_LIMIT`. */
  source: string;
  /** The memory free now (`os.freemem()`: MemAvailable on Linux), for the notice. */
  free: number;
}

/**
 * A run cannot be done on this machine: it needs more memory than the budget, or an array
 * longer than typed arrays allow. The one-line message names the flags (or the file) that drive
 * the size, what the run needs in human units and what is available.
 *
 * @param message - the message.
 * @param argument - the flags or file, e.g. `--d 100000 --n 100000000`.
 * @example
 * ```ts
 * new ResourceLimitError('--d 1e5: too big', '--d 1e5').code; // => "E_RESOURCE"
 * ```
 */
export class ResourceLimitError extends ShallowscapeError {
  constructor(message: string, argument?: string) {
    super(message, 'E_RESOURCE', argument);
  }
}

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Parses a memory amount: a non-negative number with an optional unit (`kB`, `MB`, `GB`, `TB`
 * decimal; `KiB`, `MiB`, `GiB`, `TiB` binary; case-insensitive).
 *
 * @param text - e.g. `"8GB"`, `"512 MiB"`, `"1e9"`.
 * @returns the bytes, or `undefined` when `text` is not such an amount.
 * @example
 * ```ts
 * parseByteAmount('1.5GB'); // => 1500000000
 * parseByteAmount('512MiB'); // => 536870912
 * parseByteAmount('lots'); // => undefined
 * ```
 */
export function parseByteAmount(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d*)?(?:e\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (match === null) return undefined;
  const unit = UNITS[match[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Number(match[1]) * unit;
  return Number.isFinite(bytes) ? Math.floor(bytes) : undefined;
}

/**
 * Formats a byte count in decimal units with two or three significant digits.
 *
 * @param bytes - a non-negative number of bytes.
 * @example
 * ```ts
 * formatBytes(3.2e9); // => "3.2 GB"
 * formatBytes(8e16); // => "80 PB"
 * formatBytes(512); // => "512 bytes"
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'more bytes than a number can hold';
  const units: Array<[number, string]> = [
    [1e18, 'EB'],
    [1e15, 'PB'],
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size * 0.9995) {
      const value = bytes / size;
      return `${value >= 100 ? Math.round(value).toString() : value >= 10 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
    }
  }
  return `${Math.round(bytes)} bytes`;
}

/**
 * Formats a count such as an array length or an operation count: digits with thousands
 * separators below 10⁷, else `1.2e10`.
 *
 * @param n - a non-negative number.
 * @example
 * ```ts
 * formatCount(4294967296); // => "4.29e9"
 * formatCount(12345); // => "12,345"
 * ```
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 1e7) return Math.round(n).toLocaleString('en-US');
  return n.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/**
 * Formats a duration in words, rounded: `about 40 seconds`, `about 3 minutes`, `about 2 hours`,
 * `about 5 days`, `more than a year`.
 *
 * @param seconds - a non-negative number of seconds.
 * @example
 * ```ts
 * formatDuration(200); // => "about 3 minutes"
 * ```
 */
export function formatDuration(seconds: number): string {
  const steps: Array<[number, string]> = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  if (!(seconds < 365 * 86_400)) return 'more than a year';
  for (const [size, unit] of steps) {
    if (seconds >= size || unit === 'second') {
      const n = Math.max(1, Math.round(seconds / size));
      return `about ${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return 'about a second';
}

/**
 * The memory budget a run must fit in (see the module comment): `SHALLOWSCAPE_MEMORY_LIMIT` when
 * set, else the smaller of the physical memory and a container's limit.
 *
 * @param env - the environment (for `SHALLOWSCAPE_MEMORY_LIMIT`).
 * @throws {@link ResourceLimitError} naming `SHALLOWSCAPE_MEMORY_LIMIT` and its value when it is
 *   not a memory amount.
 * @example
 * ```ts
 * memoryBudget({ SHALLOWSCAPE_MEMORY_LIMIT: '2GB' }).bytes; // => 2000000000
 * ```
 */
export function memoryBudget(env: Environment = process.env): MemoryBudget {
  const free = freemem();
  const setting = env[MEMORY_LIMIT_VARIABLE];
  if (setting !== undefined && setting !== '') {
    const bytes = parseByteAmount(setting);
    if (bytes === undefined || bytes <= 0) {
      throw new ResourceLimitError(
        `${MEMORY_LIMIT_VARIABLE}=${JSON.stringify(setting)} is not a memory amount (expected bytes or a number with kB, MB, GB, TB, KiB, MiB, GiB or TiB, e.g. 8GB)`,
        MEMORY_LIMIT_VARIABLE,
      );
    }
    return { bytes, source: MEMORY_LIMIT_VARIABLE, free: Math.min(free, bytes) };
  }
  const total = totalmem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : undefined;
  if (constrained !== undefined && constrained > 0 && constrained < total) {
    return { bytes: constrained, source: 'container limit', free: Math.min(free, constrained) };
  }
  return { bytes: total, source: 'physical memory', free };
}

/**
 * The size flags that drive a run, as the user would type them, for the `cause` of
 * {@link checkMemoryBudget} and {@link checkRunCost}: the entries whose value is defined, in order.
 *
 * @param sizes - flag name (without dashes) → value; `undefined` entries are left out.
 * @example
 * ```ts
 * formatSizeFlags({ d: 100000, n: 100000000, m: undefined }); // => "--d 100000 --n 100000000"
 * ```
 */
export function formatSizeFlags(sizes: Readonly<Record<string, number | string | null | undefined>>): string {
  return Object.entries(sizes)
    .filter((entry): entry is [string, number | string] => entry[1] !== undefined && entry[1] !== null)
    .map(([flag, value]) => `--${flag} ${value}`)
    .join(' ');
}

/** Options of {@link checkMemoryBudget}, {@link costNotice} and {@link checkRunCost}. */
export interface RunCostOptions {
  /** The environment (for `SHALLOWSCAPE_MEMORY_LIMIT`); default `process.env`. */
  env?: Environment;
  /** The budget to check against (default: {@link memoryBudget}`(env)`); for tests. */
  budget?: MemoryBudget;
  /** What needs the memory, for the message (default `the run`), e.g. `reading it`. */
  what?: string;
  /** What to do instead, ending the message (default `use smaller sizes`). */
  advice?: string;
}

/**
 * Refuses a run that cannot fit: its largest array is longer than {@link MAX_TYPED_ARRAY_LENGTH},
 * or its estimate exceeds the memory budget ({@link memoryBudget}). Call it before allocating.
 *
 * @param estimate - the run's bytes and largest array (NaN or Infinity count as too large).
 * @param cause - the flags (or file) that drive the size, as the user gave them, e.g. `--d 100000 --n 100000000`.
 * @param options - the environment, the budget (for tests), what needs the memory.
 * @throws {@link ResourceLimitError}, e.g.
 *   `--d 100000 --n 100000000: the run needs about 160 TB of memory, more than the 25 GB of physical memory of this machine; use smaller sizes`,
 *   `--m 1000000000 --d 10: the run needs an array of 1e10 entries, more than the 4.29e9 a JavaScript typed array can hold; use smaller sizes`.
 * @example
 * ```ts
 * checkMemoryBudget({ bytes: 8e6, largestArray: 1e6 }, '--n 1000'); // => undefined
 * checkMemoryBudget({ bytes: 8e15, largestArray: 1e15 }, '--n 1e12'); // throws ResourceLimitError
 * ```
 */
export function checkMemoryBudget(estimate: ResourceEstimate, cause: string, options: RunCostOptions = {}): void {
  const what = options.what ?? 'the run';
  const advice = options.advice ?? 'use smaller sizes';
  const budget = options.budget ?? memoryBudget(options.env);
  const bytes = Math.max(0, estimate.bytes);
  if (!(bytes <= budget.bytes)) {
    const where = budget.source === MEMORY_LIMIT_VARIABLE ? `the ${formatBytes(budget.bytes)} allowed by ${MEMORY_LIMIT_VARIABLE}` : `the ${formatBytes(budget.bytes)} of ${budget.source} of this machine`;
    throw new ResourceLimitError(`${cause}: ${what} needs about ${formatBytes(bytes)} of memory, more than ${where}; ${advice}`, cause);
  }
  if (!(estimate.largestArray <= MAX_TYPED_ARRAY_LENGTH)) {
    throw new ResourceLimitError(
      `${cause}: ${what} needs an array of ${formatCount(estimate.largestArray)} entries, more than the ${formatCount(MAX_TYPED_ARRAY_LENGTH)} a JavaScript typed array can hold; ${advice}`,
      cause,
    );
  }
}

/**
 * The one-line notice for a big run, or `undefined` for a small one (see the module comment for
 * the thresholds): what it needs in memory and operations and how long that may take.
 *
 * @param estimate - the run's bytes and operations.
 * @param options - the environment and the budget (for the free memory).
 * @returns e.g. `shallowscape: note: this run needs about 3.2 GB of memory and about 4e12 floating-point operations; it may take up to about 33 minutes`.
 * @example
 * ```ts
 * costNotice({ bytes: 1e6, largestArray: 1e5, flops: 1e8 }); // => undefined
 * costNotice({ bytes: 3.2e9, largestArray: 4e8, flops: 4e12 }, { budget: { bytes: 64e9, source: 'physical memory', free: 32e9 } });
 * // => "shallowscape: note: this run needs about 3.2 GB of memory and about 4e12 floating-point operations; it may take up to about 33 minutes"
 * ```
 */
export function costNotice(estimate: ResourceEstimate, options: RunCostOptions = {}): string | undefined {
  const budget = options.budget ?? memoryBudget(options.env);
  const seconds = estimate.flops === undefined ? 0 : estimate.flops / ASSUMED_FLOPS_PER_SECOND;
  const overFree = estimate.bytes > budget.free;
  if (!(estimate.bytes >= NOTICE_BYTES || overFree || seconds >= NOTICE_SECONDS)) return undefined;
  const parts = [`about ${formatBytes(estimate.bytes)} of memory`];
  if (estimate.flops !== undefined) parts.push(`about ${formatCount(estimate.flops)} floating-point operations`);
  const consequences: string[] = [];
  if (overFree) consequences.push(`more than the ${formatBytes(budget.free)} free now, so it may swap or be killed`);
  if (seconds >= NOTICE_SECONDS) consequences.push(`it may take up to ${formatDuration(seconds)}`);
  return `shallowscape: note: this run needs ${parts.join(' and ')}${consequences.length > 0 ? `; ${consequences.join('; ')}` : ''}`;
}

/**
 * The one call a command makes before allocating: {@link checkMemoryBudget}, then, for a big run,
 * writes {@link costNotice} on `stderr`.
 *
 * @param estimate - the run's cost.
 * @param cause - the flags that drive it, e.g. `--d 100000 --n 100000000`.
 * @param io - the command's stderr and environment (`ctx`).
 * @param options - the budget (for tests), what needs the memory.
 * @returns the notice written, or `undefined`.
 * @throws {@link ResourceLimitError} as {@link checkMemoryBudget}.
 * @example
 * ```ts
 * checkRunCost(quadraticTrainingCost({ d, m, n, teacherWidth: m, steps }), `--d ${d} --n ${n}`, ctx); // => undefined
 * ```
 */
export function checkRunCost(
  estimate: ResourceEstimate,
  cause: string,
  io: { readonly stderr: OutputStream; readonly env: Environment },
  options: Omit<RunCostOptions, 'env'> = {},
): string | undefined {
  const budget = options.budget ?? memoryBudget(io.env);
  checkMemoryBudget(estimate, cause, { ...options, budget });
  const notice = costNotice(estimate, { budget });
  if (notice !== undefined) io.stderr.write(`${notice}\n`);
  return notice;
}
