import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './suggest';

describe('editDistance', () => {
  it('matches hand-computed Levenshtein distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
    expect(editDistance('trian', 'train')).toBe(1);
    expect(editDistance('ca', 'abc')).toBe(3);
  });
});

describe('closestMatch', () => {
  const names = ['linalg-info', 'train', 'eval', 'reproduce', 'spectrum', 'certify'];
  it('suggests plausible typos and prefixes only', () => {
    expect(closestMatch('linalg-inf', names)).toBe('linalg-info');
    expect(closestMatch('trian', names)).toBe('train');
    expect(closestMatch('spec', names)).toBe('spectrum');
    expect(closestMatch('frobnicate', names)).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });
});
