/**
 * Test-only: an `AbortSignal` stand-in that turns aborted after a number of polls, to test that
 * long computations poll their signal between iterations and stop at the next poll.
 *
 * @packageDocumentation
 */

/** A signal whose `aborted` is `false` for the first `live` reads and `true` from then on; `polls()` counts the reads. */
export function countdownSignal(live: number): { signal: AbortSignal; polls: () => number } {
  let reads = 0;
  // An AbortSignal by prototype (so argument checks accept it without polling) with its own `aborted`.
  const signal = Object.create(AbortSignal.prototype, {
    aborted: {
      get(): boolean {
        reads++;
        return reads > live;
      },
    },
  }) as AbortSignal;
  return { signal, polls: () => reads };
}
