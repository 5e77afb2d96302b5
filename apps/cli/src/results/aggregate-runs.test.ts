import { createRng } from '@shallowscape/linalg';
import { describe, expect, it } from 'vitest';
import { aggregateRuns } from './aggregate-runs';
import type { CellValue, ResultTable } from './result-table';

const columns: ResultTable['columns'] = [
  { name: 'n', type: 'integer' },
  { name: 'kind', type: 'string' },
  { name: 'err', type: 'number' },
  { name: 'loss', type: 'number' },
];

/** Neumaier-compensated sum: a reference accurate to about one rounding. */
function accurateSum(xs: readonly number[]): number {
  let sum = 0;
  let c = 0;
  for (const x of xs) {
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}

/** Two-pass mean and sample standard deviation with compensated sums. */
function twoPass(xs: readonly number[]): { mean: number; std: number } {
  const mean = accurateSum(xs) / xs.length;
  const d = xs.map((x) => x - mean);
  const s = accurateSum(d);
  const ss = accurateSum(d.map((v) => v * v)) - (s * s) / xs.length;
  return { mean, std: Math.sqrt(ss / (xs.length - 1)) };
}

function column(table: ResultTable, name: string): CellValue[] {
  const j = table.columns.findIndex((c) => c.name === name);
  expect(j).toBeGreaterThanOrEqual(0);
  return table.rows.map((r) => r[j]!);
}

describe('aggregateRuns', () => {
  const runs: ResultTable = {
    columns,
    rows: [
      [12, 'b', 1, 10],
      [6, 'a', 2, null],
      [12, 'b', 3, NaN],
      [6, 'a', 4, Infinity],
      [6, 'a', 9, 5],
      [12, 'a', null, 7],
    ],
  };

  it('computes count, mean, sample std (n − 1), min and max over finite values, by hand', () => {
    const out = aggregateRuns(runs, { groupBy: ['n', 'kind'], metrics: ['err', 'loss'] });
    expect(out.columns).toEqual([
      { name: 'n', type: 'integer' },
      { name: 'kind', type: 'string' },
      { name: 'count', type: 'integer' },
      { name: 'err.mean', type: 'number' },
      { name: 'err.std', type: 'number' },
      { name: 'err.min', type: 'number' },
      { name: 'err.max', type: 'number' },
      { name: 'loss.mean', type: 'number' },
      { name: 'loss.std', type: 'number' },
      { name: 'loss.min', type: 'number' },
      { name: 'loss.max', type: 'number' },
    ]);
    // (6, a): err 2, 4, 9 → mean 5, deviations −3, −1, 4, s² = 26/2 = 13; loss: only 5 is finite.
    // (12, a): err null → all null; loss 7 alone → std null.
    // (12, b): err 1, 3 → mean 2, s² = 2; loss 10 (NaN left out).
    expect(out.rows).toEqual([
      [6, 'a', 3, 5, Math.sqrt(13), 2, 9, 5, null, 5, 5],
      [12, 'a', 1, null, null, null, null, 7, null, 7, 7],
      [12, 'b', 2, 2, Math.SQRT2, 1, 3, 10, null, 10, 10],
    ]);
  });

  it('adds successes, fraction and its standard error √(p(1 − p)/count), counting every run', () => {
    const out = aggregateRuns(runs, { groupBy: ['n'], metrics: [], success: (r) => typeof r.err === 'number' && r.err < 3.5 });
    expect(out.columns.map((c) => c.name)).toEqual(['n', 'count', 'successes', 'fraction', 'fraction.stderr']);
    expect(out.columns.slice(2).map((c) => c.type)).toEqual(['integer', 'number', 'number']);
    // n = 6: errs 2, 4, 9 → 1 of 3; n = 12: errs 1, 3, null → 2 of 3.
    expect(column(out, 'successes')).toEqual([1, 2]);
    expect(column(out, 'fraction')).toEqual([1 / 3, 2 / 3]);
    const se = column(out, 'fraction.stderr') as number[];
    expect(se[0]).toBeCloseTo(Math.sqrt(2 / 27), 15);
    expect(se[1]).toBeCloseTo(Math.sqrt(2 / 27), 15);
    const all = aggregateRuns(runs, { groupBy: [], metrics: [], success: () => true });
    expect(all.rows).toEqual([[6, 6, 1, 0]]);
  });

  it('passes the predicate the whole row by column name', () => {
    const seen: Array<Readonly<Record<string, CellValue>>> = [];
    aggregateRuns(runs, { groupBy: ['n'], metrics: ['err'], success: (r) => (seen.push(r), false) });
    expect(seen).toHaveLength(runs.rows.length);
    expect(seen[0]).toEqual({ n: 12, kind: 'b', err: 1, loss: 10 });
  });

  it('orders groups by the groupBy columns: numbers numerically (NaN after), strings, booleans, null last', () => {
    const table: ResultTable = {
      columns: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'number' },
        { name: 'x', type: 'number' },
      ],
      rows: [
        ['z', 10, 1],
        [null, 1, 1],
        ['B', 2, 1],
        ['z', 9, 1],
        ['a', NaN, 1],
        ['a', 100, 1],
        ['z', -0, 1],
        ['z', 0, 2],
        ['a', NaN, 3],
        [true, 1, 1],
        [false, 1, 1],
        [5, 1, 1],
        ['10', 1, 1],
        ['9', 1, 1],
      ],
    };
    const out = aggregateRuns(table, { groupBy: ['a', 'b'], metrics: ['x'] });
    expect(out.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      [5, 1, 1],
      ['10', 1, 1],
      ['9', 1, 1],
      ['B', 2, 1],
      ['a', 100, 1],
      ['a', NaN, 2],
      ['z', -0, 2],
      ['z', 9, 1],
      ['z', 10, 1],
      [false, 1, 1],
      [true, 1, 1],
      [null, 1, 1],
    ]);
    // 0 and −0 are one group (the first value seen is kept), all NaNs are one group.
    const zero = out.rows.find((r) => r[0] === 'z' && r[1] === 0)!;
    expect(zero[3]).toBe(1.5);
  });

  it('keeps groups in order of first appearance when the groupBy columns do not order them (no groupBy: one group)', () => {
    const out = aggregateRuns(runs, { groupBy: [], metrics: ['err'] });
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0]!.slice(0, 2)).toEqual([6, 3.8]);
    expect(aggregateRuns({ columns, rows: [] }, { groupBy: ['n'], metrics: ['err'] }).rows).toEqual([]);
  });

  it('leaves out non-numbers of a metric column and names unknown columns', () => {
    const mixed: ResultTable = { columns: [{ name: 'g', type: 'integer' }, { name: 'm', type: 'string' }], rows: [[1, 'x'], [1, 2], [1, true], [1, 4]] };
    expect(aggregateRuns(mixed, { groupBy: ['g'], metrics: ['m'] }).rows).toEqual([[1, 4, 3, Math.SQRT2, 2, 4]]);
    expect(() => aggregateRuns(runs, { groupBy: ['N'], metrics: [] })).toThrow(/options\.groupBy.*"N".*n, kind, err, loss/);
    expect(() => aggregateRuns(runs, { groupBy: [], metrics: ['error'] })).toThrow(/options\.metrics/);
  });

  it('agrees with a compensated two-pass reference to 1e-12 relative on random data, offsets included', () => {
    const rng = createRng(7);
    const rows: CellValue[][] = [];
    const byGroup = new Map<number, number[]>();
    for (let i = 0; i < 6000; i++) {
      const g = rng.integer(6);
      // Groups with a large offset and small spread test for cancellation.
      const offset = [0, 1e6, -1e9, 1e-8, 3, 1e12][g]!;
      const scale = [1, 1e-3, 10, 1e-10, 1e3, 1][g]!;
      const x = offset + scale * rng.normal();
      rows.push([g, 'k', x, null]);
      byGroup.set(g, [...(byGroup.get(g) ?? []), x]);
    }
    const out = aggregateRuns({ columns, rows }, { groupBy: ['n'], metrics: ['err'] });
    expect(column(out, 'n')).toEqual([0, 1, 2, 3, 4, 5]);
    for (const row of out.rows) {
      const xs = byGroup.get(row[0] as number)!;
      const ref = twoPass(xs);
      const [count, mean, std, min, max] = row.slice(1, 6) as number[];
      expect(count).toBe(xs.length);
      // Relative to the data's scale: a mean near 0 (group 0) is ill-conditioned for any
      // algorithm (condition number Σ|x_i| / |Σ x_i|), so |mean| alone would test the data, not the code.
      expect(Math.abs(mean! - ref.mean)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(ref.mean), ref.std));
      expect(Math.abs(std! - ref.std)).toBeLessThanOrEqual(1e-12 * ref.std);
      expect(min).toBe(Math.min(...xs));
      expect(max).toBe(Math.max(...xs));
    }
  });

  it('gives a zero std for equal values', () => {
    const same: ResultTable = { columns, rows: Array.from({ length: 10 }, () => [1, 'a', 0.1, null]) };
    const row = aggregateRuns(same, { groupBy: ['n'], metrics: ['err'] }).rows[0]!;
    expect(row.slice(2, 6)).toEqual([0.1, 0, 0.1, 0.1]);
  });
});
