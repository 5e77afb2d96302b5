import { describe, expect, it } from 'vitest';
import { getBackend, listBackends, registerWasmSimdBackend } from '../backend';
import { referenceBackend } from './reference';
import { createRng } from '../rng';
import { describeBackendConformance, expectWithinScaled, productTolerance, referenceGemm } from '../testing/backend-conformance';
import {
  createWasmSimdBackend,
  getWasmSimdBackend,
  isWasmSimdSupported,
  wasmSimdModuleBytes,
} from './wasm-simd';
import { WASM_SIMD_MODULE_BYTES } from './wasm-simd-binary';

describe('embedded wasm-simd module', () => {
  it('decodes to a valid WebAssembly module with the kernel exports and no imports', () => {
    const bytes = wasmSimdModuleBytes();
    expect(bytes.length).toBe(WASM_SIMD_MODULE_BYTES);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    // Node ≥ 16.4 runs fixed-width SIMD, so here the module must validate.
    expect(isWasmSimdSupported()).toBe(true);
    interface Descriptor {
      name: string;
      kind: string;
    }
    const api = (globalThis as unknown as {
      WebAssembly: { Module: { new (b: Uint8Array): object; imports(m: object): Descriptor[]; exports(m: object): Descriptor[] } };
    }).WebAssembly;
    const module = new api.Module(bytes);
    expect(api.Module.imports(module)).toEqual([]);
    const exports = Object.fromEntries(api.Module.exports(module).map((e) => [e.name, e.kind]));
    expect(exports).toEqual({
      memory: 'memory',
      heapBase: 'function',
      packedABufferLength: 'function',
      packedBBufferLength: 'function',
      scaleBlock: 'function',
      mirrorLowerToUpper: 'function',
      mirrorRows: 'function',
      packedProduct: 'function',
      productWithScratch: 'function',
      packedPanelsLength: 'function',
      panelScratchLength: 'function',
      packPanel: 'function',
      panelColumns: 'function',
      panelDepth: 'function',
      productOfPackedPanels: 'function',
      symmetricLowerProduct: 'function',
      tridiagonalPanel: 'function',
      tridiagonalTrailingUpdate: 'function',
      quadraticFormRows: 'function',
      quadraticFormScratchLength: 'function',
      rotationChains: 'function',
      bidiagonalRows: 'function',
      bidiagonalPanel: 'function',
      bidiagonalTrailingUpdate: 'function',
      reflectRows: 'function',
      naturalLogOf: 'function',
      normalDeviates: 'function',
    });
  });
});

describe('wasm-simd backend registry', () => {
  it('registers the shared backend, which is the library default where SIMD runs; registering does not change the default', () => {
    const before = getBackend();
    const wasm = registerWasmSimdBackend();
    expect(wasm).not.toBeNull();
    expect(wasm).toBe(getWasmSimdBackend());
    expect(registerWasmSimdBackend()).toBe(wasm);
    const entry = listBackends().find((b) => b.name === 'wasm-simd');
    expect(entry).toMatchObject({ precision: 'float64', isDefault: before === wasm });
    expect(getBackend()).toBe(before);
  });

  it('rejects a negative minWork, naming the option', () => {
    expect(() => createWasmSimdBackend({ minWork: -1 })).toThrow(/options\.minWork/);
  });
});

// Every non-empty product through WebAssembly, so the conformance suite's small and odd sizes
// exercise the module's edge tiles; then the default backend (small products on the reference).
const everyProduct = createWasmSimdBackend({ minWork: 0 })!;
describeBackendConformance(everyProduct);
describeBackendConformance(getWasmSimdBackend()!);

describe('wasm-simd on sizes beyond the packing blocks', () => {
  const wasm = everyProduct;
  // m > MC = 128, k > KC = 256, n > NC = 384 exercise every block loop; odd sizes the edges.
  for (const [m, n, k] of [[131, 9, 300], [5, 2053, 3], [130, 67, 513]] as Array<[number, number, number]>) {
    for (const [transA, transB] of [[false, false], [true, true]] as Array<[boolean, boolean]>) {
      it(`gemm ${m}×${n}×${k} transA=${transA} transB=${transB} agrees with the triple loop`, () => {
        const rng = createRng(4242 + m + n + k);
        const a = rng.fillNormal(new Float64Array(m * k));
        const b = rng.fillNormal(new Float64Array(k * n));
        const c0 = rng.fillNormal(new Float64Array(m * n));
        const c = c0.slice();
        wasm.gemm!(transA, transB, m, n, k, 0.75, a, b, -1.5, c);
        const ref = referenceGemm(transA, transB, m, n, k, 0.75, a, b, -1.5, c0);
        expectWithinScaled(c, ref.value, ref.scale, productTolerance('float64', k), 'gemm');
      });
    }
  }

  it('syrk and weightedGram on 300 × 260 (several k and row blocks, lower-triangle skipping)', () => {
    const rng = createRng(77);
    const rows = 300;
    const cols = 260;
    const x = rng.fillNormal(new Float64Array(rows * cols));
    const w = rng.fillNormal(new Float64Array(rows));
    const wx = x.slice();
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) wx[i * cols + j] = wx[i * cols + j]! * w[i]!;
    const g = new Float64Array(cols * cols).fill(Number.NaN);
    wasm.weightedGram!(rows, cols, x, w, g);
    const refG = referenceGemm(true, false, cols, cols, rows, 1, x, wx, 0, g);
    expectWithinScaled(g, refG.value, refG.scale, productTolerance('float64', rows), 'weightedGram');
    const s = new Float64Array(cols * cols).fill(Number.NaN);
    wasm.syrk!(true, cols, rows, 2, x, 0, s);
    const refS = referenceGemm(true, false, cols, cols, rows, 2, x, x, 0, s);
    expectWithinScaled(s, refS.value, refS.scale, productTolerance('float64', rows), 'syrk');
  });
});

describe('wasm-simd against the reference backend', () => {
  // Same packing, same 4×4 tile, same summation order and no FMA: the two backends give the same
  // bits, so an application may switch to wasm-simd without changing any result.
  it('gives bit-identical gemm, syrk and weightedGram results across blocking boundaries', () => {
    const wasm = createWasmSimdBackend({ minWork: 0 })!;
    const rng = createRng(77);
    const draw = (len: number) => Float64Array.from({ length: len }, () => rng.normal());
    const shapes: Array<[number, number, number]> = [
      [5, 7, 9],
      [64, 64, 64],
      [130, 70, 300],
      [33, 257, 129],
      [300, 20, 600],
      // n > NC = 384: three column panels (the lower triangle of syrk and weightedGram skips and cuts tiles in each).
      [150, 790, 260],
    ];
    for (const [m, n, k] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = draw(m * k);
          const b = draw(k * n);
          const c0 = draw(m * n);
          const expected = c0.slice();
          const actual = c0.slice();
          referenceBackend.gemm!(transA, transB, m, n, k, 1.5, a, b, 0.5, expected);
          wasm.gemm!(transA, transB, m, n, k, 1.5, a, b, 0.5, actual);
          expect(actual, `gemm ${m}×${n}×${k} transA=${transA} transB=${transB}`).toEqual(expected);
        }
      }
      const x = draw(k * n);
      const w = draw(k);
      const g1 = new Float64Array(n * n);
      const g2 = new Float64Array(n * n);
      referenceBackend.weightedGram!(k, n, x, w, g1);
      wasm.weightedGram!(k, n, x, w, g2);
      expect(g2, `weightedGram ${k}×${n}`).toEqual(g1);
      const s1 = new Float64Array(n * n);
      const s2 = new Float64Array(n * n);
      referenceBackend.syrk!(true, n, k, 1, x, 0, s1);
      wasm.syrk!(true, n, k, 1, x, 0, s2);
      expect(s2, `syrk ${k}×${n}`).toEqual(s1);
    }
  });
});
