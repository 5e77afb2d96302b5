import { execFileSync } from 'node:child_process';
import { createRng } from '@shallowscape/linalg';
import { describe, expect, it } from 'vitest';
import { formatCsv, formatJsonRows, formatTable } from './format-result-table';
import type { ResultTable } from './result-table';

/** A strict RFC 4180 reader: records of fields, `null` for an unquoted empty field. */
function parseCsv(text: string): Array<Array<string | null>> {
  const records: Array<Array<string | null>> = [];
  let record: Array<string | null> = [];
  let i = 0;
  for (;;) {
    let field: string | null;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        value += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
      field = value;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\n') {
        if (text[j] === '"' || text[j] === '\r') throw new Error(`bare ${JSON.stringify(text[j])} in an unquoted field`);
        j++;
      }
      field = j === i ? null : text.slice(i, j);
      i = j;
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] !== '\n') throw new Error(`expected a line end at ${i}`);
    records.push(record);
    record = [];
    i++;
    if (i === text.length) return records;
  }
}

/** The doubles the CSV must give back exactly. */
function awkwardDoubles(): number[] {
  const rng = createRng(2024);
  const xs = [0.1 + 0.2, 0.1, 1 / 3, 2 / 3, 1e-300, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, Number.MAX_VALUE, -Number.MAX_VALUE, Number.EPSILON, 1e21, 1e-7, 123456789.12345679, 2 ** 53 + 2, 2 ** 60 + 2 ** 8, -1.5, 1e16, 0.000001];
  for (let k = 0; k < 200; k++) xs.push((rng.uniform() - 0.5) * 10 ** (rng.integer(600) - 300));
  return xs;
}

function python(): boolean {
  try {
    execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('formatTable', () => {
  it('aligns columns: numbers right (7 significant digits, integers in full), text left, - for null', () => {
    const table: ResultTable = {
      columns: [
        { name: 'seed', type: 'integer' },
        { name: 'relativeError', type: 'number' },
        { name: 'ok', type: 'boolean' },
        { name: 'status', type: 'string' },
      ],
      rows: [
        [3141592653, 1 / 3, true, 'done'],
        [7, 1.5e-9, null, 'failed'],
        [12, NaN, false, null],
        [-4, -Infinity, true, 'é'],
      ],
    };
    expect(formatTable(table)).toBe(
      [
        '      seed  relativeError  ok     status',
        '3141592653      0.3333333  true   done',
        '         7    1.500000e-9  -      failed',
        '        12            NaN  false  -',
        '        -4      -Infinity  true   é',
        '',
      ].join('\n'),
    );
  });

  it('keeps each row on one line and counts code points for the width', () => {
    const table: ResultTable = { columns: [{ name: 'error', type: 'string' }, { name: 'n', type: 'integer' }], rows: [['line 1\nline 2\tx', 1], ['α😀', 22]] };
    expect(formatTable(table)).toBe('error' + ' '.repeat(15) + 'n\nline 1\\nline 2\\tx   1\nα😀' + ' '.repeat(17) + '22\n');
    expect(formatTable(table).split('\n')).toHaveLength(4);
  });

  it('prints the header alone for no rows, and nothing for no columns', () => {
    expect(formatTable({ columns: [{ name: 'n', type: 'integer' }, { name: 'status', type: 'string' }], rows: [] })).toBe('n  status\n');
    expect(formatTable({ columns: [], rows: [] })).toBe('');
  });
});

describe('formatCsv', () => {
  it('quotes fields with a comma, quote, CR or LF (quotes doubled), and empty strings; null is an empty field', () => {
    const table: ResultTable = {
      columns: [
        { name: 'a,b', type: 'string' },
        { name: 'say "hi"', type: 'string' },
        { name: 'ok', type: 'boolean' },
      ],
      rows: [
        ['plain', 'he said "no"', true],
        ['two\nlines', 'cr\rhere', false],
        ['', null, null],
        [' spaced ', "it's", true],
      ],
    };
    const text = formatCsv(table);
    expect(text).toBe('"a,b","say ""hi"""\n'.replace('\n', ',ok\n') + 'plain,"he said ""no""",true\n"two\nlines","cr\rhere",false\n"",,\n spaced ,it\'s,true\n');
    expect(parseCsv(text)).toEqual([
      ['a,b', 'say "hi"', 'ok'],
      ['plain', 'he said "no"', 'true'],
      ['two\nlines', 'cr\rhere', 'false'],
      ['', null, null],
      [' spaced ', "it's", 'true'],
    ]);
  });

  it('writes non-finite numbers as nan, inf, -inf and −0 as -0 in a number column, 0 in an integer column', () => {
    const table: ResultTable = { columns: [{ name: 'x', type: 'number' }, { name: 'i', type: 'integer' }], rows: [[NaN, -0], [Infinity, 1], [-Infinity, -2], [-0, null]] };
    expect(formatCsv(table)).toBe('x,i\nnan,0\ninf,1\n-inf,-2\n-0,\n');
    expect(formatCsv({ columns: [], rows: [] })).toBe('\n');
  });

  it('round-trips every double exactly (JavaScript Number and, when present, Python float)', () => {
    const xs = [...awkwardDoubles(), -0, NaN, Infinity, -Infinity];
    const text = formatCsv({ columns: [{ name: 'x', type: 'number' }], rows: xs.map((x) => [x]) });
    const fields = parseCsv(text).slice(1).map((r) => r[0]!);
    const fromText = (f: string): number => (f === 'nan' ? NaN : f === 'inf' ? Infinity : f === '-inf' ? -Infinity : Number(f));
    fields.forEach((f, i) => expect(Object.is(fromText(f), xs[i]), `${f} for ${xs[i]}`).toBe(true));
    expect(fields.slice(0, 7)).toEqual(['0.30000000000000004', '0.1', '0.3333333333333333', '0.6666666666666666', '1e-300', '5e-324', '-5e-324']);
    if (python()) {
      // Python's float() of each field, printed by repr (shortest round trip), read back here.
      const script = "import csv, sys\nfor row in list(csv.reader(sys.stdin))[1:]: print(repr(float(row[0])))";
      const out = execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' }).trim().split('\n');
      const fromRepr = (r: string): number => (r === 'nan' ? NaN : r === 'inf' ? Infinity : r === '-inf' ? -Infinity : Number(r));
      expect(out).toHaveLength(xs.length);
      out.forEach((r, i) => expect(Object.is(fromRepr(r), xs[i]), `python read ${fields[i]} as ${r}`).toBe(true));
    }
  });
});

describe('formatJsonRows', () => {
  const table: ResultTable = {
    columns: [
      { name: 'n', type: 'integer' },
      { name: '1', type: 'number' },
      { name: 'status', type: 'string' },
      { name: 'ok', type: 'boolean' },
      { name: 'cert', type: 'json' },
    ],
    rows: [
      [6, 0.1 + 0.2, 'done', true, '{"barrier":[1,2.5]}'],
      [12, NaN, null, null, 'not json'],
      [null, -Infinity, 'say "x"\n', false, null],
      [1, -0, '', false, '3'],
    ],
  };

  it('writes one object per line, keys in column order, non-finite numbers as null, json cells embedded', () => {
    const text = formatJsonRows(table);
    expect(text.split('\n')).toHaveLength(table.rows.length + 3);
    expect(text.startsWith('[\n{"n":6,"1":0.30000000000000004,"status":"done","ok":true,"cert":{"barrier":[1,2.5]}},\n')).toBe(true);
    expect(text.endsWith('}\n]\n')).toBe(true);
    const parsed = JSON.parse(text) as Array<Record<string, unknown>>;
    expect(parsed).toEqual([
      { n: 6, 1: 0.30000000000000004, status: 'done', ok: true, cert: { barrier: [1, 2.5] } },
      { n: 12, 1: null, status: null, ok: null, cert: 'not json' },
      { n: null, 1: null, status: 'say "x"\n', ok: false, cert: null },
      { n: 1, 1: 0, status: '', ok: false, cert: 3 },
    ]);
    expect(text).toContain('{"n":6,"1":');
  });

  it('writes [] for no rows', () => {
    expect(formatJsonRows({ columns: table.columns, rows: [] })).toBe('[]\n');
  });

  it('writes doubles in their round-trip form', () => {
    const xs = awkwardDoubles();
    const back = JSON.parse(formatJsonRows({ columns: [{ name: 'x', type: 'number' }], rows: xs.map((x) => [x]) })) as Array<{ x: number }>;
    back.forEach((r, i) => expect(Object.is(r.x, xs[i])).toBe(true));
  });
});
