/**
 * `@shallowscape/linalg-native`: the `native` float64 backend of `@shallowscape/linalg` (OpenBLAS's
 * BLAS, LAPACK's `dsyevd` and `dgesdd`) through a Node-API addon, and LAPACK's Cholesky, pivoted QR,
 * least squares and singular values. The addon is optional: `loadNativeBackend` says why when it
 * is unavailable.
 *
 * Importing the package offers the native backend as the library's automatic default
 * (`offerDefaultBackend`): a program that imports it and does not call `setBackend` runs on
 * OpenBLAS and LAPACK wherever the addon loads, and on `wasm-simd` elsewhere.
 *
 * @packageDocumentation
 */
import { offerDefaultBackend } from '@shallowscape/linalg';
import { loadNativeBackend } from './native-backend';

export { loadNativeBackend, type NativeBackendLoad, type NativeBackendOptions } from './native-backend';
export { nativeCholesky } from './native-cholesky';
export { nativeQrPivoted, type NativeQrOptions } from './native-qr-pivoted';
export { nativeLeastSquares } from './native-least-squares';
export { nativeSingularValues } from './native-singular-values';
export { getNativeThreads, setNativeThreads } from './native-threads';
export { LapackError } from './lapack-error';
export type { HeapPolicy, OpenblasConfig } from './native-addon';

// Importing the package offers the native backend as the library's automatic default, where the
// addon loads (see offerDefaultBackend in @shallowscape/linalg); setBackend still chooses explicitly.
offerDefaultBackend(() => {
  const load = loadNativeBackend();
  return load.available ? load.backend : null;
});
