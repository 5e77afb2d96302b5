/**
 * The seed of a sweep cell, derived from the sweep's base seed and the cell's coordinates only,
 * so that a cell gets the same seed whatever the worker count, the order the cells run in, a
 * shard or a resumption:
 *
 * $$\text{seed} = \big\lfloor \text{SHA-256}(\texttt{"shallowscape-cell-seed\n"} \,\|\, b \,\|\, \texttt{"\n"} \,\|\, c \,\|\, \texttt{"\n"} \,\|\, r) / 2^{208} \big\rfloor,$$
 *
 * the first 48 bits (6 bytes, big-endian) of the digest, where $b$ is the base seed in decimal,
 * $c$ the coordinates as canonical JSON (keys sorted, no spaces: `{"d":6,"n":21}`) and $r$ the
 * repetition index $0, 1, \dots$ in decimal. A seed below $2^{48}$ is a safe integer that every
 * command's `--seed` accepts, and a user can recompute it (in Python:
 * `int.from_bytes(hashlib.sha256(text.encode()).digest()[:6], 'big')`).
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import type { SweepScalar } from './sweep-file';
import { canonicalJson } from './sweep-file';

/**
 * The seed of the cell at `coordinates`, repetition `repetition`, of a sweep with base seed `base`.
 *
 * @param base - the sweep's base seed (a non-negative integer).
 * @param coordinates - the cell's values on the sweep's axes (grid keys, derived ones included).
 * @param repetition - the repetition index, from 0.
 * @returns an integer in $[0, 2^{48})$.
 * @example
 * ```ts
 * deriveCellSeed(0, { n: 21 }, 0) === deriveCellSeed(0, { n: 21 }, 0); // => true
 * deriveCellSeed(0, { d: 6, n: 21 }, 1) === deriveCellSeed(0, { n: 21, d: 6 }, 1); // => true
 * ```
 */
export function deriveCellSeed(base: number, coordinates: Readonly<Record<string, SweepScalar>>, repetition: number): number {
  const text = `shallowscape-cell-seed\n${base}\n${canonicalJson(coordinates)}\n${repetition}`;
  return createHash('sha256').update(text, 'utf8').digest().readUIntBE(0, 6);
}
