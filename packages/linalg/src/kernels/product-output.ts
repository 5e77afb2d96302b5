/**
 * The output of a checked product (`gemm`, `syrk`, `weightedGram`) made for the caller, which the
 * backend's kernel writes in full (β = 0: BLAS semantics, every backend, checked by the
 * conformance suite with outputs filled with NaN).
 *
 * @packageDocumentation
 */
import { Matrix } from '../matrix';

/** Entries from which the output is taken uninitialised (512 KiB): below, zeroing costs nothing that matters. */
const UNINITIALISED_MIN_ENTRIES = 2 ** 16;

/** `Buffer.allocUnsafe` where this runtime is Node, else undefined. */
function allocUnsafe(): ((bytes: number) => Uint8Array) | undefined {
  const buffer = (globalThis as { Buffer?: { allocUnsafe?: (bytes: number) => Uint8Array } }).Buffer;
  return typeof buffer?.allocUnsafe === 'function' ? buffer.allocUnsafe : undefined;
}

/**
 * A `rows × cols` matrix for a kernel that overwrites every entry. In Node, from 2¹⁶ entries, its
 * memory is not zeroed first (`Buffer.allocUnsafe`, a buffer of its own, as numpy's `empty`):
 * zeroing an 8 MiB output that the kernel then overwrites costs about 0.5 ms (2 % of a syrk at
 * n = 1000). Elsewhere, or when the buffer is not aligned for doubles, a zeroed
 * `Float64Array`. Never hand the matrix to code that reads it before the kernel has written it.
 * Internal to the checked products (not exported), so without an executed example; its test is
 * `product-output.test.ts`.
 *
 * @param rows - rows.
 * @param cols - columns.
 * @returns the matrix, its entries unspecified.
 */
export function productOutput(rows: number, cols: number): Matrix {
  const entries = rows * cols;
  const unsafe = entries >= UNINITIALISED_MIN_ENTRIES ? allocUnsafe() : undefined;
  if (unsafe !== undefined) {
    const bytes = unsafe(8 * entries);
    if (bytes.byteOffset % 8 === 0) return new Matrix(rows, cols, new Float64Array(bytes.buffer, bytes.byteOffset, entries));
  }
  return new Matrix(rows, cols);
}
