import { spawnSync } from 'node:child_process';
import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../testing/captured-io';
import {
  MAX_TYPED_ARRAY_LENGTH,
  ResourceLimitError,
  checkMemoryBudget,
  checkRunCost,
  costNotice,
  formatBytes,
  formatCount,
  formatDuration,
  formatSizeFlags,
  memoryBudget,
  parseByteAmount,
  type MemoryBudget,
} from './memory-budget';

const machine: MemoryBudget = { bytes: 25e9, source: 'physical memory', free: 20e9 };

function refusal(run: () => void): ResourceLimitError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ResourceLimitError);
  expect((caught as Error).message).not.toMatch(/\n/);
  return caught as ResourceLimitError;
}

describe('formatting', () => {
  it.each([
    [0, '0 bytes'],
    [999, '999 bytes'],
    [1000, '1 kB'],
    [3.2e9, '3.2 GB'],
    [25.27e9, '25 GB'],
    [1.6e14, '160 TB'],
    [8e16, '80 PB'],
    [2.5e21, '2500 EB'],
  ])('formatBytes(%d) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('formats counts and durations', () => {
    expect(formatCount(4294967296)).toBe('4.29e9');
    expect(formatCount(1e10)).toBe('1e10');
    expect(formatCount(1.2e10)).toBe('1.2e10');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatDuration(5)).toBe('about 5 seconds');
    expect(formatDuration(90)).toBe('about 2 minutes');
    expect(formatDuration(2000)).toBe('about 33 minutes');
    expect(formatDuration(7200)).toBe('about 2 hours');
    expect(formatDuration(86_400 * 3)).toBe('about 3 days');
    expect(formatDuration(1e12)).toBe('more than a year');
  });

  it('formats the size flags of a run', () => {
    expect(formatSizeFlags({ d: 100000, n: 100000000, m: undefined })).toBe('--d 100000 --n 100000000');
    expect(formatSizeFlags({ ensemble: 'goe', d: 5, m: null })).toBe('--ensemble goe --d 5');
    expect(formatSizeFlags({})).toBe('');
  });

  it('parses memory amounts', () => {
    expect(parseByteAmount('2GB')).toBe(2e9);
    expect(parseByteAmount('1.5 gb')).toBe(1.5e9);
    expect(parseByteAmount('512MiB')).toBe(512 * 2 ** 20);
    expect(parseByteAmount('1e9')).toBe(1e9);
    expect(parseByteAmount('12')).toBe(12);
    expect(parseByteAmount('-1GB')).toBeUndefined();
    expect(parseByteAmount('2 GBs')).toBeUndefined();
    expect(parseByteAmount('')).toBeUndefined();
  });
});

describe('memoryBudget', () => {
  it('is the physical memory or a smaller container limit by default', () => {
    const budget = memoryBudget({});
    expect(budget.bytes).toBeGreaterThan(0);
    expect(budget.bytes).toBeLessThanOrEqual(totalmem());
    expect(['physical memory', 'container limit']).toContain(budget.source);
    expect(budget.free).toBeLessThanOrEqual(totalmem());
  });

  it('follows SHALLOWSCAPE_MEMORY_LIMIT, and rejects a malformed one naming it', () => {
    expect(memoryBudget({ SHALLOWSCAPE_MEMORY_LIMIT: '2GB' })).toMatchObject({ bytes: 2e9, source: 'SHALLOWSCAPE_MEMORY_LIMIT' });
    const e = refusal(() => memoryBudget({ SHALLOWSCAPE_MEMORY_LIMIT: 'lots' }));
    expect(e.message).toMatch(/^SHALLOWSCAPE_MEMORY_LIMIT="lots" is not a memory amount/);
  });
});

describe('checkMemoryBudget', () => {
  it('accepts a run that fits', () => {
    expect(() => checkMemoryBudget({ bytes: 1e9, largestArray: 1e8 }, '--d 10', { budget: machine })).not.toThrow();
  });

  it('refuses a run bigger than the memory, naming the flags, the need and the budget', () => {
    // train --d 100000 --n 100000000: X alone is 1e13 entries, 8e13 bytes.
    const e = refusal(() => checkMemoryBudget({ bytes: 1.6e14, largestArray: 1e13 }, '--d 100000 --n 100000000', { budget: machine }));
    expect(e.message).toBe(
      '--d 100000 --n 100000000: the run needs about 160 TB of memory, more than the 25 GB of physical memory of this machine; use smaller sizes',
    );
    expect(e.code).toBe('E_RESOURCE');
    expect(e.argument).toBe('--d 100000 --n 100000000');
  });

  it('names SHALLOWSCAPE_MEMORY_LIMIT when that is the budget, and what needs the memory', () => {
    const e = refusal(() =>
      checkMemoryBudget({ bytes: 3e9, largestArray: 1e8 }, '--weights "W.npy"', { env: { SHALLOWSCAPE_MEMORY_LIMIT: '2GB' }, what: 'reading it' }),
    );
    expect(e.message).toBe('--weights "W.npy": reading it needs about 3 GB of memory, more than the 2 GB allowed by SHALLOWSCAPE_MEMORY_LIMIT; use smaller sizes');
  });

  it('refuses an array longer than a typed array can be, even with memory to spare', () => {
    const huge: MemoryBudget = { bytes: 1e18, source: 'physical memory', free: 1e18 };
    const e = refusal(() => checkMemoryBudget({ bytes: 8e10, largestArray: 1e10 }, '--m 1000000000 --d 10', { budget: huge }));
    expect(e.message).toBe(
      `--m 1000000000 --d 10: the run needs an array of 1e10 entries, more than the ${formatCount(MAX_TYPED_ARRAY_LENGTH)} a JavaScript typed array can hold; use smaller sizes`,
    );
  });

  it('treats a NaN or infinite estimate as too large', () => {
    refusal(() => checkMemoryBudget({ bytes: Infinity, largestArray: 1 }, '--n 1e400', { budget: machine }));
    refusal(() => checkMemoryBudget({ bytes: 1, largestArray: NaN }, '--n x', { budget: machine }));
  });

  it('agrees with the runtime: the typed-array limit is where allocation stops being possible at all', () => {
    // A child process, so that a successful huge allocation cannot hurt this one.
    const child = spawnSync(
      process.execPath,
      ['-e', `try { new Float64Array(${MAX_TYPED_ARRAY_LENGTH + 1}); console.log('allocated') } catch (e) { console.log(e.message) }`],
      { encoding: 'utf8' },
    );
    expect(child.stdout.trim()).toBe(`Invalid typed array length: ${MAX_TYPED_ARRAY_LENGTH + 1}`);
  });
});

describe('costNotice and checkRunCost', () => {
  it('is silent for a small run', () => {
    expect(costNotice({ bytes: 1e6, largestArray: 1e5, flops: 1e9 }, { budget: machine })).toBeUndefined();
    const io = captureIo();
    expect(checkRunCost({ bytes: 1e6, largestArray: 1e5, flops: 1e9 }, '--d 10', io, { budget: machine })).toBeUndefined();
    expect(io.err()).toBe('');
  });

  it('says what a big run costs: memory over 1 GB, time over a minute, memory over what is free', () => {
    expect(costNotice({ bytes: 3.2e9, largestArray: 4e8, flops: 4e12 }, { budget: machine })).toBe(
      'shallowscape: note: this run needs about 3.2 GB of memory and about 4e12 floating-point operations; it may take up to about 33 minutes',
    );
    expect(costNotice({ bytes: 1e7, largestArray: 1e6, flops: 2.4e11 }, { budget: machine })).toBe(
      'shallowscape: note: this run needs about 10 MB of memory and about 2.4e11 floating-point operations; it may take up to about 2 minutes',
    );
    expect(costNotice({ bytes: 22e9, largestArray: 1e9 }, { budget: machine })).toBe(
      'shallowscape: note: this run needs about 22 GB of memory; more than the 20 GB free now, so it may swap or be killed',
    );
  });

  it('checkRunCost refuses before printing anything, and prints one notice line for a big run', () => {
    const io = captureIo();
    expect(() => checkRunCost({ bytes: 1e15, largestArray: 1e9 }, '--n 1e10', io, { budget: machine })).toThrow(ResourceLimitError);
    expect(io.err()).toBe('');
    const notice = checkRunCost({ bytes: 3.2e9, largestArray: 4e8, flops: 4e12 }, '--d 2000', io, { budget: machine });
    expect(io.err()).toBe(`${notice}\n`);
    expect(io.err().split('\n')).toHaveLength(2);
  });
});
