import { describe, expect, it } from 'vitest';
import { formatCell, formatExperimentResult, formatTable } from './format-result';
import type { ExperimentResult } from '@shallowscape/experiments';

describe('format-result', () => {
  it('formats cells by column format, with dashes for missing numbers', () => {
    expect(formatCell({ key: 'a', label: 'a' }, 12)).toBe('12');
    expect(formatCell({ key: 'a', label: 'a', format: 'fixed', digits: 3 }, 0.5)).toBe('0.500');
    expect(formatCell({ key: 'a', label: 'a', format: 'exponential', digits: 1 }, 3.14e-15)).toBe('3.1e-15');
    expect(formatCell({ key: 'a', label: 'a' }, null)).toBe('—');
    expect(formatCell({ key: 'a', label: 'a' }, Number.NaN)).toBe('—');
    expect(formatCell({ key: 'a', label: 'a' }, Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatCell({ key: 'a', label: 'a' }, true)).toBe('yes');
    expect(formatCell({ key: 'a', label: 'a' }, 'all')).toBe('all');
  });

  it('aligns numbers right and text left (the documented example)', () => {
    const table = { columns: [{ key: 'n', label: 'N' }, { key: 'f', label: 'fraction', format: 'fixed' as const }], rows: [{ n: 10, f: 1 }] };
    expect(formatTable(table, 0)).toBe(' N  fraction\n10      1.00');
    const mixed = { columns: [{ key: 'o', label: 'objective' }, { key: 'n', label: 'N' }], rows: [{ o: 'population', n: null }, { o: 'empirical', n: 200 }] };
    expect(formatTable(mixed)).toBe('  objective     N\n  population    —\n  empirical   200');
  });

  it('prints claim, criterion, table, details and the verdict', () => {
    const result: ExperimentResult = {
      name: 'demo',
      claim: 'a claim',
      criterion: 'a criterion',
      passed: false,
      results: { columns: [{ key: 'x', label: 'x' }], rows: [{ x: 1 }] },
      details: ['why it failed'],
      config: {},
    };
    expect(formatExperimentResult(result, '2/4', 1.25)).toBe(
      '[2/4] demo\n  Claim: a claim\n  PASS criterion: a criterion\n\n  x\n  1\n\n  - why it failed\n\n  FAIL  demo (1.3 s)\n\n',
    );
  });
});
