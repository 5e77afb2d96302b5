import { afterEach, describe, expect, it } from 'vitest';
import { allocateOperand, getBackend, listBackends, referenceBackend, registerBackend, resolveKernel, setBackend, type LinalgBackend } from './backend';
import { getWasmSimdBackend } from './backends/wasm-simd';
import { InvalidArgumentError, ShallowscapeError } from './errors';
import { Matrix } from './matrix';
import { gemm } from './kernels/gemm';
import { dot } from './kernels/blas1';
import { gemmKernel } from './kernels/gemm-kernel';
import { dotKernel } from './kernels/blas1-kernels';

afterEach(() => {
  setBackend(referenceBackend);
});

describe('backend registry', () => {
  it('starts with the fastest float64 backend it holds as the default: wasm-simd where SIMD runs (Node here), decided once', () => {
    const wasm = getWasmSimdBackend();
    expect(wasm).not.toBeNull();
    expect(getBackend()).toBe(wasm);
    expect(getBackend()).toBe(getBackend());
    expect(referenceBackend.precision).toBe('float64');
    expect(listBackends()[0]).toMatchObject({ name: 'reference', precision: 'float64', isDefault: false });
    expect(listBackends().filter((b) => b.isDefault)).toEqual([expect.objectContaining({ name: 'wasm-simd', precision: 'float64' })]);
  });

  it('setBackend registers, switches the default, returns the previous one and accepts a registered name', () => {
    const calls: string[] = [];
    const counting: LinalgBackend = {
      name: 'counting',
      precision: 'float64',
      description: 'counts dot calls',
      dot(n, x, y) {
        calls.push(this.name);
        return dotKernel(n, x, y);
      },
    };
    expect(setBackend(counting)).toBe(referenceBackend);
    expect(getBackend()).toBe(counting);
    expect(listBackends().find((b) => b.name === 'counting')).toEqual({
      name: 'counting',
      precision: 'float64',
      description: 'counts dot calls',
      isDefault: true,
    });
    expect(dot(Float64Array.of(1, 2), Float64Array.of(3, 4))).toBe(11);
    expect(calls).toEqual(['counting']);
    // gemm is missing from 'counting': the reference kernel runs.
    expect(gemm(Matrix.from([[2]]), Matrix.from([[3]])).data).toEqual(Float64Array.of(6));
    expect(setBackend('reference')).toBe(counting);
    expect(setBackend('counting')).toBe(referenceBackend);
    // an explicit backend option wins over the default
    expect(dot(Float64Array.of(1), Float64Array.of(1), { backend: referenceBackend })).toBe(1);
    expect(calls).toEqual(['counting']);
  });

  it('resolveKernel falls back to the reference kernel and binds a backend’s own kernels', () => {
    const partial: LinalgBackend = { name: 'partial', precision: 'float32', description: '' };
    expect(resolveKernel('gemm', partial)).toBe(gemmKernel);
    expect(resolveKernel('dot')).toBe(dotKernel);
    expect(() => resolveKernel('nope' as 'dot')).toThrow(InvalidArgumentError);
  });

  it('reports a kernel that no backend provides', () => {
    const withoutSvd: LinalgBackend = { name: 'no-svd', precision: 'float64', description: '' };
    if (referenceBackend.svd === undefined) {
      expect(() => resolveKernel('svd', withoutSvd)).toThrow(ShallowscapeError);
      expect(() => resolveKernel('svd', withoutSvd)).toThrow(/no 'svd' kernel/);
    } else {
      expect(resolveKernel('svd', withoutSvd)).toBe(referenceBackend.svd);
    }
  });

  it('allocateOperand: a zero-filled array from the backend when it allocates, a plain one otherwise; a wrong answer or length is named', () => {
    const plain = allocateOperand(4, referenceBackend);
    expect(plain).toEqual(new Float64Array(4));
    expect(plain.buffer).toBeInstanceOf(ArrayBuffer);
    let asked = -1;
    const own = new Float64Array(3);
    const allocating: LinalgBackend = { name: 'allocating', precision: 'float64', description: 'allocates', allocate: (length) => ((asked = length), own) };
    expect(allocateOperand(3, allocating)).toBe(own);
    expect(asked).toBe(3);
    expect(() => allocateOperand(5, allocating)).toThrow(/allocating\.allocate\(5\).*a Float64Array of length 5/);
    expect(() => allocateOperand(-1, referenceBackend)).toThrow(/length/);
    expect(() => allocateOperand(2, { name: 'bad', precision: 'float64', description: '', allocate: 3 } as never)).toThrow(/backend\.allocate/);
  });

  it('rejects malformed backends, duplicate names and unknown names', () => {
    expect(() => registerBackend({ name: '', precision: 'float64', description: '' })).toThrow('invalid backend.name: ""');
    expect(() => registerBackend({ name: 'x', precision: 'float16' as 'float32', description: '' })).toThrow('invalid backend.precision: "float16"');
    expect(() => registerBackend({ name: 'x', precision: 'float64', description: '', gemm: 3 as unknown as LinalgBackend['gemm'] })).toThrow(
      'invalid backend.gemm: 3 (expected a function or undefined)',
    );
    const once: LinalgBackend = { name: 'once', precision: 'float64', description: '' };
    registerBackend(once);
    registerBackend(once);
    expect(() => registerBackend({ ...once })).toThrow(/invalid backend.name: "once"/);
    expect(() => setBackend('missing')).toThrow(/invalid backend: "missing" \(expected one of the registered backends/);
    expect(getBackend()).toBe(referenceBackend);
  });
});
