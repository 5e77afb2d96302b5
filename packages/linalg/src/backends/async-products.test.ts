/**
 * The conformance suite on a backend that offers its products only asynchronously (as a GPU
 * backend does): the reference kernels, each run after a macrotask. The suite awaits the
 * asynchronous slots and holds them to the same tests as the synchronous ones; and
 * `resolveAsyncKernel` gives a device backend's own slot, or a CPU backend's synchronous kernel
 * behind a promise.
 */
import { describe, expect, it } from 'vitest';
import { resolveAsyncKernel, resolveKernel } from '../backend';
import { InvalidArgumentError, ShapeError } from '../errors';
import type { LinalgBackend } from '../linalg-backend';
import { describeBackendConformance } from '../testing/backend-conformance';
import { referenceBackend } from './reference';

const later = (run: () => void): Promise<void> =>
  new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        run();
        resolve();
      } catch (error) {
        reject(error);
      }
    }, 0),
  );

const asyncOnly: LinalgBackend = {
  name: 'async-products',
  precision: 'float64',
  description: 'the reference products, asynchronously (a stand-in for a device)',
  gemmAsync: (...args) => later(() => referenceBackend.gemm!(...args)),
  syrkAsync: (...args) => later(() => referenceBackend.syrk!(...args)),
  weightedGramAsync: (...args) => later(() => referenceBackend.weightedGram!(...args)),
};

describeBackendConformance(asyncOnly);

describe('resolveAsyncKernel', () => {
  it("returns the backend's own asynchronous slot, which resolves after the work is done", async () => {
    const c = new Float64Array(1);
    const pending = resolveAsyncKernel('gemmAsync', asyncOnly)(false, false, 1, 1, 2, 1, Float64Array.of(1, 2), Float64Array.of(3, 4), 0, c);
    expect(c[0]).toBe(0);
    await pending;
    expect(c[0]).toBe(11);
  });

  it('wraps the synchronous kernel of a CPU backend, and its errors become rejections', async () => {
    const c = new Float64Array(4);
    await resolveAsyncKernel('syrkAsync', referenceBackend)(true, 2, 1, 1, Float64Array.of(1, 2), 0, c);
    expect(Array.from(c)).toEqual([1, 2, 2, 4]);
    const failing: LinalgBackend = {
      name: 'failing-sync',
      precision: 'float64',
      description: 'a synchronous gemm that throws',
      gemm: () => {
        throw new ShapeError('boom', 'a');
      },
    };
    await expect(resolveAsyncKernel('gemmAsync', failing)(false, false, 1, 1, 1, 1, Float64Array.of(1), Float64Array.of(1), 0, new Float64Array(1))).rejects.toThrow(ShapeError);
  });

  it('leaves the synchronous calls of an asynchronous-only backend to the reference kernels', () => {
    expect(resolveKernel('gemm', asyncOnly)).toBe(referenceBackend.gemm);
  });

  it('refuses an unknown slot', () => {
    expect(() => resolveAsyncKernel('gemm' as 'gemmAsync')).toThrow(InvalidArgumentError);
  });
});
