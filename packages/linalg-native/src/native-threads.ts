/**
 * The addon's thread count: the threads of its own pool that run the products of the native
 * backend. OpenBLAS itself always runs at one thread.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';
import { requireNativeAddon } from './native-addon';

/**
 * Sets the number of threads of the addon's pool from now on, for every product of the native
 * backend in this process (`gemm`, `syrk`, `weightedGram`, `quadraticForms`, `gemv`), the calling
 * thread included.
 *
 * The products are cut into pieces by a rule that depends only on their shape, and each piece is
 * one single-threaded OpenBLAS call, so the thread count changes speed, never the bits of a
 * result. OpenBLAS stays at one thread, and LAPACK runs on the calling thread alone. Threads are
 * started by the next product that needs them. When the count falls, up to the machine's cores
 * minus one of them stay, asleep, for a later rise, so switching between one thread and every
 * core costs no thread start; threads beyond that are stopped here.
 *
 * @param threads - a positive integer; counts above 256 are capped at 256.
 * @returns the number of threads now in effect.
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
 * The number of threads of the addon's pool. Until {@link setNativeThreads} (or
 * `loadNativeBackend({ threads })`) changes it, it is the count OpenBLAS chose when it loaded:
 * `OPENBLAS_NUM_THREADS` (or `GOTO_NUM_THREADS`, `OMP_NUM_THREADS`) when set, else one per core
 * the process may run on.
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
