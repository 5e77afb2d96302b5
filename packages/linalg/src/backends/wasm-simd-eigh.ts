/**
 * The `wasm-simd` backend's `eigh` kernel: the `dsyevd` pipeline of the reference kernel
 * (`eighPipeline`) with its dense stages on WebAssembly SIMD: the blocked reduction
 * ({@link wasmBlockedTridiagonalize}), the values alone by the root-free QL iteration, the
 * divide-and-conquer merges through the backend's `gemm`,
 * and the blocked back-transformation ({@link wasmApplyHouseholderQ}).
 *
 * @packageDocumentation
 */
import type { LinalgBackend } from '../linalg-backend';
import { eighPipeline, referenceEighStages, type EighKernelResult, type EighStages } from '../decompositions/eigh-kernel';
import { applyHouseholderQ } from '../decompositions/tridiagonal';
import { rootFreeQl } from '../decompositions/tridiagonal-root-free-ql';
import { stridedGemmOver } from './strided-gemm-over';
import type { WasmSimdWorkspace } from './wasm-simd-workspace';
import { wasmBlockedTridiagonalize } from './wasm-simd-blocked-tridiagonal';
import { wasmApplyHouseholderQ } from './wasm-simd-householder-q';

/**
 * The `eigh` kernel of a `wasm-simd` backend: $A = V \operatorname{diag}(\lambda) V^\top$ by
 * LAPACK's `dsyevd` pipeline, with the blocked Householder reduction (`dsytrd`) in WebAssembly,
 * the root-free QL iteration (`dsterf`, {@link rootFreeQl}) for the values alone, Cuppen's divide and conquer (`dstedc`) with its merge
 * products on `gemm` for the vectors, and the compact-WY back-transformation (`dormtr`) in
 * WebAssembly. Same contract and accuracy as `eighKernel` (whose stages it falls back to where
 * the working set would exceed the module's memory cap); same input, same bits, whatever the
 * thread count of `gemm`. WebAssembly is the faster from n = 2 on (measured on one thread: 1.3×
 * to 2× at n = 4–100), so there is no crossover to the reference kernel.
 *
 * @param workspace - the backend's module instance and its memory.
 * @param gemm - the backend's `gemm`, for the divide-and-conquer merges.
 * @returns the kernel, `(n, a, wantVectors, signal) → { values, vectors }`.
 */
export function createWasmSimdEigh(
  workspace: WasmSimdWorkspace,
  gemm: NonNullable<LinalgBackend['gemm']>,
): (n: number, a: Float64Array, wantVectors: boolean, signal?: AbortSignal) => EighKernelResult {
  const stages: EighStages = {
    tridiagonalize(n, a, scale, keepReflectors, signal) {
      const reduced = wasmBlockedTridiagonalize(workspace, n, a, scale, keepReflectors, signal);
      if (reduced !== null) return reduced;
      return referenceEighStages.tridiagonalize(n, a, scale, keepReflectors, signal);
    },
    tridiagonalValues: rootFreeQl,
    gemm: stridedGemmOver(gemm),
    applyQ(n, reflectors, tau, z, signal) {
      if (!wasmApplyHouseholderQ(workspace, n, reflectors, tau, z, signal)) applyHouseholderQ(n, reflectors, tau, z, signal);
    },
  };
  return (n, a, wantVectors, signal) => eighPipeline(n, a, wantVectors, signal, stages);
}
