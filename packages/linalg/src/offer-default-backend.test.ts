import { describe, expect, it } from 'vitest';
import { getBackend, listBackends, offerDefaultBackend, referenceBackend, setBackend, type LinalgBackend } from './backend';
import { InvalidArgumentError } from './errors';
import { gemm } from './kernels/gemm';
import { Matrix } from './matrix';

// This file's module state is its own (vitest isolates test files): the default is not decided
// until the first getBackend() below.
describe('offerDefaultBackend', () => {
  it('decides the default once: the latest offered float64 backend that loads, loaders that fail or offer float32 passed over', () => {
    const calls: string[] = [];
    let products = 0;
    const offeredBackend: LinalgBackend = {
      name: 'offered-float64',
      precision: 'float64',
      description: 'the reference products, counted',
      gemm: (...args) => {
        products++;
        referenceBackend.gemm!(...args);
      },
    };
    expect(() => offerDefaultBackend('native' as never)).toThrow(InvalidArgumentError);
    offerDefaultBackend(() => (calls.push('first'), offeredBackend));
    offerDefaultBackend(() => (calls.push('null'), null));
    offerDefaultBackend(() => {
      calls.push('throws');
      throw new Error('no addon here');
    });
    offerDefaultBackend(() => (calls.push('float32'), { name: 'offered-float32', precision: 'float32', description: 'single precision' }));
    // Most recent first; the first that loads a float64 backend wins and the rest are not called.
    expect(getBackend()).toBe(offeredBackend);
    expect(calls).toEqual(['float32', 'throws', 'null', 'first']);
    expect(listBackends().find((b) => b.name === 'offered-float64')?.isDefault).toBe(true);
    expect(gemm(Matrix.from([[2]]), Matrix.from([[3]])).toArray()).toEqual([[6]]);
    expect(products).toBe(1);
    // Decided: a later offer changes nothing, and setBackend still chooses.
    offerDefaultBackend(() => referenceBackend);
    expect(getBackend()).toBe(offeredBackend);
    expect(calls).toHaveLength(4);
    expect(setBackend(referenceBackend)).toBe(offeredBackend);
    expect(getBackend()).toBe(referenceBackend);
  });
});
