import { describe, expect, it } from 'vitest';
import { SweepFileError, canonicalJson, parseSweepFile } from './sweep-file';

const parse = (text: string, path = 's.yaml') => parseSweepFile(path, text);
const problem = (text: string, path = 's.yaml'): string => {
  try {
    parse(text, path);
  } catch (error) {
    expect(error).toBeInstanceOf(SweepFileError);
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('parseSweepFile', () => {
  it('reads the YAML of the issue', () => {
    const file = parse(`name: sample-threshold-d6
run: train
fixed: { d: 6, m: 8 }
grid:
  n: [10, 15, 20, 21, 25, 30]
seeds: 8
`);
    expect(file).toMatchObject({ name: 'sample-threshold-d6', run: 'train', seed: 0, seeds: 8, description: null });
    expect(file.fixed).toEqual([
      { key: 'd', value: 6 },
      { key: 'm', value: 8 },
    ]);
    expect(file.grids).toEqual([{ path: 'grid', axes: [{ key: 'n', axis: { kind: 'list', values: [10, 15, 20, 21, 25, 30] } }] }]);
  });

  it('reads JSON, and the same document in JSON and YAML has the same hash', () => {
    const yaml = parse('name: a\nrun: train\nseeds: 2\ngrid:\n  n: [1, 2]  # comment\n');
    const json = parse('{"grid": {"n": [1, 2]}, "seeds": 2, "run": "train", "name": "a"}', 's.json');
    expect(json.hash).toBe(yaml.hash);
    expect(json.canonical).toBe('{"grid":{"n":[1,2]},"name":"a","run":"train","seeds":2}');
    expect(parse('name: a\nrun: train\nseeds: 3\ngrid:\n  n: [1, 2]\n').hash).not.toBe(yaml.hash);
  });

  it('reads range forms, expressions, several grids', () => {
    const file = parse(`name: r
run: train
grids:
  - { n: { range: [10, 30, 5] }, d: { logrange: { from: 2, to: 32, count: 5 } } }
  - { ratio: { linspace: [0.5, 2, 4] }, n: "round(ratio * 10)" }
`);
    expect(file.grids.map((g) => g.path)).toEqual(['grids[0]', 'grids[1]']);
    expect(file.grids[0]!.axes.map((a) => a.axis)).toEqual([
      { kind: 'range', from: 10, to: 30, step: 5 },
      { kind: 'logrange', from: 2, to: 32, count: 5 },
    ]);
    expect(file.grids[1]!.axes[1]!.axis).toEqual({ kind: 'scalar', value: 'round(ratio * 10)' });
  });

  it.each([
    ['name: a\nrun: train\ngrid: { n: [1, 2\n', /^s\.yaml:[34]:\d+: not valid YAML or JSON: Flow sequence/],
    ['name: a\nrun: train\nrun: eval\n', /^s\.yaml:3:1: not valid YAML or JSON: .*unique/i],
    ['- 1\n- 2\n', /^s\.yaml:1:1: a sweep file is a mapping/],
    ['name: a\nrun: train\ngird: { n: [1] }\n', /^s\.yaml:3:1: gird: unknown key \(did you mean 'grid'\?\)/],
    ['run: train\n', /^s\.yaml:1:1: missing key "name"/],
    ['name: "a b"\nrun: train\n', /^s\.yaml:1:1: name: invalid name "a b"/],
    ['name: a\n', /missing key "run"/],
    ['name: a\nrun: train\nseeds: 0\n', /^s\.yaml:3:1: seeds: invalid number of repetitions 0/],
    ['name: a\nrun: train\nseed: -1\n', /seed: invalid base seed -1/],
    ['name: a\nrun: train\ngrid: {}\n', /^s\.yaml:3:1: grid: the grid is empty/],
    ['name: a\nrun: train\ngrid:\n  n: []\n', /^s\.yaml:4:3: grid\.n: the list is empty/],
    ['name: a\nrun: train\ngrid:\n  n: [1, [2]]\n', /grid\.n\[1\]: must be one value/],
    ['name: a\nrun: train\ngrid:\n  n: { range: [1, 10, 0] }\n', /grid\.n\.range: step 0 does not lead from 1 to 10/],
    ['name: a\nrun: train\ngrid:\n  n: { range: [1, 10] }\n', /grid\.n\.range: expected three finite numbers/],
    ['name: a\nrun: train\ngrid:\n  n: { logrange: [0, 10, 3] }\n', /logrange needs positive ends/],
    ['name: a\nrun: train\ngrid:\n  n: { steps: [1, 10, 3] }\n', /grid\.n: a mapping here must be one of/],
    ['name: a\nrun: train\nfixed: { d: [1, 2] }\n', /^s\.yaml:3:10: fixed\.d: must be one value .* put lists under grid/],
    ['name: a\nrun: train\ngrid: { n: [1] }\ngrids: [{ n: [2] }]\n', /grids: give either grid .* or grids/],
  ])('refuses %j', (text, pattern) => {
    expect(problem(text)).toMatch(pattern);
  });

  it('canonicalJson sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 1 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":1,"z":0}]},"b":1}');
  });

  it('locates key paths', () => {
    const file = parse('name: a\nrun: train\ngrid:\n  d: [1]\n  n: [10, 20, 30]\n');
    expect(file.locate('grid.n')).toEqual({ line: 5, column: 3 });
    expect(file.locate('grid.n[2]')).toEqual({ line: 5, column: 15 });
    expect(file.locate('nothing.here')).toBeNull();
  });
});
