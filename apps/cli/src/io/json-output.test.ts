import { describe, expect, it } from 'vitest';
import { formatJson, toJsonValue, writeJson } from './json-output';

describe('formatJson', () => {
  it('sorts keys recursively so that construction order does not matter', () => {
    const a = { z: 1, a: { y: [3, { d: 1, c: 2 }], b: true }, m: 'x' };
    const b = { m: 'x', a: { b: true, y: [3, { c: 2, d: 1 }] }, z: 1 };
    expect(formatJson(a)).toBe(formatJson(b));
    expect(formatJson(a, { compact: true })).toBe('{"a":{"b":true,"y":[3,{"c":2,"d":1}]},"m":"x","z":1}\n');
  });

  it('indents by two spaces by default and ends with one newline', () => {
    expect(formatJson({ b: [1], a: null })).toBe('{\n  "a": null,\n  "b": [\n    1\n  ]\n}\n');
  });

  it('normalises typed arrays, bigints, non-finite numbers, -0, undefined and toJSON', () => {
    expect(
      toJsonValue({
        v: new Float64Array([1.5, NaN, Infinity, -Infinity, -0]),
        n: 12345678901234567890n,
        gone: undefined,
        list: [undefined, 2],
        when: { toJSON: () => 'custom' },
      }),
    ).toEqual({ list: [null, 2], n: '12345678901234567890', v: [1.5, 'NaN', 'Infinity', '-Infinity', 0], when: 'custom' });
    expect(Object.is((toJsonValue([-0]) as number[])[0], 0)).toBe(true);
  });

  it('round-trips doubles exactly', () => {
    const values = [Number.EPSILON, 0.1 + 0.2, 1 / 3, Number.MIN_VALUE, Number.MAX_VALUE];
    expect(JSON.parse(formatJson(values))).toEqual(values);
  });

  it('rejects cycles and functions', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => formatJson(cyclic)).toThrow(/cyclic structure as JSON at \$\.self/);
    expect(() => formatJson({ f: () => 1 })).toThrow(/cannot write function as JSON at \$\.f/);
    const shared = { x: 1 };
    expect(formatJson({ a: shared, b: shared }, { compact: true })).toBe('{"a":{"x":1},"b":{"x":1}}\n');
  });

  it('writeJson writes the formatted text to a stream', () => {
    const chunks: string[] = [];
    writeJson({ write: (c: string) => chunks.push(c) }, { b: 2, a: 1 }, { compact: true });
    expect(chunks).toEqual(['{"a":1,"b":2}\n']);
  });
});
