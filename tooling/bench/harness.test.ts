/**
 * The interleaved timing of the benchmark harness (harness.mjs `timeInterleaved`), as the bench
 * README describes it: warm-up calls per subject, then rounds that call every subject once in an
 * order rotating from round to round, and per-round ratios against the first subject.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the harness is plain JavaScript without declarations.
import { INTERLEAVED_MAX_ROUNDS_FACTOR, timeInterleaved } from './harness.mjs';

interface Timing {
  reps: number;
  warmup: number;
  timesMs: number[];
  ratios: number[];
  medianMs: number;
}

describe('timeInterleaved', () => {
  it('calls every subject once a round, the order rotating, after its warm-up calls; ratios are per round against the first subject', async () => {
    const calls: string[] = [];
    const subject = (name: string) => () => {
      calls.push(name);
      // Some work, so that every time is positive.
      let s = 0;
      for (let i = 0; i < 20000; i++) s += Math.sqrt(i);
      return s;
    };
    const asyncSubject = async () => {
      calls.push('c');
      await new Promise((done) => setTimeout(done, 1));
    };
    const timings = (await timeInterleaved([subject('a'), subject('b'), asyncSubject], { reps: 4, warmup: 2 })) as Timing[];
    const warmups = timings.map((t) => t.warmup);
    for (const w of warmups) expect(w).toBeGreaterThanOrEqual(2);
    // Warm-up: each subject's calls in a block, in subject order.
    const warm = calls.slice(0, warmups[0]! + warmups[1]! + warmups[2]!);
    expect(warm).toEqual([...Array(warmups[0]).fill('a'), ...Array(warmups[1]).fill('b'), ...Array(warmups[2]).fill('c')]);
    // Rounds: a b c, b c a, c a b, a b c.
    expect(calls.slice(warm.length).join('')).toBe('abcbcacababc');
    for (const t of timings) {
      expect(t.reps).toBe(4);
      expect(t.timesMs).toHaveLength(4);
      for (const ms of t.timesMs) expect(ms).toBeGreaterThan(0);
      expect(t.medianMs).toBe([...t.timesMs].sort((x, y) => x - y).slice(1, 3).reduce((x, y) => x + y) / 2);
    }
    timings.forEach((t) => expect(t.ratios).toEqual(t.timesMs.map((ms, r) => ms / timings[0]!.timesMs[r]!)));
    expect(timings[0]!.ratios).toEqual([1, 1, 1, 1]);
  });

  it('runs more rounds for short subjects with minMs: past reps while under minMs, at most the cap, never fewer than reps', async () => {
    const sleep = (ms: number) => () => new Promise((done) => setTimeout(done, ms));
    // Rounds of ~2 ms: 3 rounds take ~6 ms, far below 10 s, so the cap ends them.
    const capped = (await timeInterleaved([sleep(1), sleep(1)], { reps: 3, warmup: 1, minMs: 10_000 })) as Timing[];
    for (const t of capped) {
      expect(t.reps).toBe(INTERLEAVED_MAX_ROUNDS_FACTOR * 3);
      expect(t.timesMs).toHaveLength(INTERLEAVED_MAX_ROUNDS_FACTOR * 3);
      expect(t.ratios).toHaveLength(INTERLEAVED_MAX_ROUNDS_FACTOR * 3);
    }
    // Rounds of at least 10 ms against minMs = 5: the first round fills it, so reps rounds (2) run.
    const filled = (await timeInterleaved([sleep(5), sleep(5)], { reps: 2, warmup: 1, minMs: 5 })) as Timing[];
    expect(filled[0]!.reps).toBe(2);
    // Without minMs, exactly reps.
    const plain = (await timeInterleaved([sleep(1), sleep(1)], { reps: 3, warmup: 1 })) as Timing[];
    expect(plain[0]!.reps).toBe(3);
  });

  it('with burst, calls each subject burst times a round and times the mean of the calls after the first', async () => {
    const calls: string[] = [];
    // A call that follows the other subject's is slow (30 ms), one that follows its own fast (1 ms).
    const subject = (name: string) => async () => {
      const slow = calls.length > 0 && calls[calls.length - 1] !== name;
      calls.push(name);
      await new Promise((done) => setTimeout(done, slow ? 30 : 1));
    };
    const timings = (await timeInterleaved([subject('a'), subject('b')], { reps: 2, warmup: 1, burst: 3 })) as Array<Timing & { burst: number }>;
    // Rounds: a a a b b b, then b b b a a a (after the warm-up calls).
    expect(calls.slice(-12).join('')).toBe('aaabbbbbbaaa');
    for (const t of timings) {
      expect(t.burst).toBe(3);
      expect(t.timesMs).toHaveLength(2);
      // The slow first calls are not in the times: each is the mean of two fast calls.
      for (const ms of t.timesMs) expect(ms).toBeLessThan(25);
    }
    expect(timings[1]!.ratios).toEqual(timings[1]!.timesMs.map((ms, r) => ms / timings[0]!.timesMs[r]!));
  });
});
