/**
 * OpenBLAS's thread count.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';
import { requireNativeAddon } from './native-addon';

/**
 * Sets the number of threads OpenBLAS uses from now on (`openblas_set_num_threads`), for every
 * call of the native backend and functions in this process.
 *
 * @param threads - a positive integer. OpenBLAS caps it at its build's `MAX_THREADS`.
 * @returns the number of threads now in effect (`openblas_get_num_threads`).
 * @throws `InvalidArgumentError` when `threads` is not a positive integer.
 * @throws `ShallowscapeError` (`E_BACKEND`) when the native addon is unavailable.
 * @see {@link getNativeThreads}.
 * @example
 * ```ts
 * if (loadNativeBackend().available) {
 *   const before = getNativeThreads();
 *   setNativeThreads(1); // => 1
 *   setNativeThreads(before) === before; // => true
 * }
 * setNativeThreads(0); // throws InvalidArgumentError
 * ```
 */
export function setNativeThreads(threads: number): number {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new InvalidArgumentError('threads', threads, 'a positive integer');
  return requireNativeAddon('setNativeThreads').setThreads(threads);
}

/**
 * The number of threads OpenBLAS uses (`openblas_get_num_threads`): `OPENBLAS_NUM_THREADS`, else
 * one per core, until {@link setNativeThreads} changes it.
 *
 * @returns the thread count, `≥ 1`.
 * @throws `ShallowscapeError` (`E_BACKEND`) when the native addon is unavailable.
 * @example
 * ```ts
 * if (loadNativeBackend().available) {
 *   getNativeThreads() >= 1; // => true
 * }
 * ```
 */
export function getNativeThreads(): number {
  return requireNativeAddon('getNativeThreads').getThreads();
}
