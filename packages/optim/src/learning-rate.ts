/**
 * Learning rates, one for all parameters or one per parameter block, and their expansion to a
 * per-coordinate rate vector.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '@shallowscape/linalg';
import type { BlockLayout } from './objective';

/**
 * A learning rate: one positive number for all parameters, or one number $\eta_b \ge 0$ per
 * parameter block keyed by the block's name (every block must be named; `0` freezes a block).
 */
export type LearningRate = number | Readonly<Record<string, number>>;

/**
 * The per-coordinate rates $\eta_k$ of a validated {@link LearningRate}, and the half-open
 * ranges `[start, end)` of the trainable coordinates ($\eta_k > 0$), adjacent blocks merged.
 * Not exported from the package.
 */
export interface ResolvedLearningRate {
  /** $\eta_k$ for every coordinate $k$ (0 in frozen blocks). */
  readonly perCoordinate: Float64Array;
  /** Flattened pairs `start, end` of the trainable coordinate ranges. */
  readonly ranges: Int32Array;
  /** The rate of each block, in block order. */
  readonly perBlock: readonly number[];
}

/**
 * Validates a learning rate against the blocks and expands it per coordinate.
 *
 * @param rate - a positive finite number, or a record with a finite rate $\ge 0$ for every block name.
 * @param blocks - the objective's layout.
 * @param dimension - $n$, the total number of parameters.
 * @throws InvalidArgumentError naming `learningRate` (or `learningRate.<key>`) and the value: a
 *   non-positive or non-finite scalar, an unknown key, a missing or invalid block rate, or a
 *   record that freezes every block.
 */
export function resolveLearningRate(rate: unknown, blocks: readonly BlockLayout[], dimension: number): ResolvedLearningRate {
  let perBlock: number[];
  if (typeof rate === 'number') {
    if (!Number.isFinite(rate) || rate <= 0) throw new InvalidArgumentError('learningRate', rate, 'a positive finite number');
    perBlock = blocks.map(() => rate);
  } else {
    if (rate === null || typeof rate !== 'object' || Array.isArray(rate) || ArrayBuffer.isView(rate)) {
      throw new InvalidArgumentError('learningRate', rate, 'a positive number or a record { blockName: rate }');
    }
    const record = rate as Record<string, unknown>;
    const names = new Set(blocks.map((b) => b.name));
    for (const key of Object.keys(record)) {
      if (!names.has(key)) {
        throw new InvalidArgumentError(`learningRate.${key}`, record[key], `a key among the block names ${[...names].join(', ')}`);
      }
    }
    perBlock = blocks.map((b) => {
      const r = record[b.name];
      if (typeof r !== 'number' || !Number.isFinite(r) || r < 0) {
        throw new InvalidArgumentError(`learningRate.${b.name}`, r, 'a finite number ≥ 0 (0 freezes the block)');
      }
      return r;
    });
    if (blocks.length > 0 && perBlock.every((r) => r === 0)) {
      throw new InvalidArgumentError('learningRate', rate, 'at least one block with a positive rate (all blocks are frozen)');
    }
  }
  const perCoordinate = new Float64Array(dimension);
  const ranges: number[] = [];
  for (let b = 0; b < blocks.length; b++) {
    const { offset, size } = blocks[b]!;
    const eta = perBlock[b]!;
    if (eta === 0 || size === 0) continue;
    perCoordinate.fill(eta, offset, offset + size);
    if (ranges.length > 0 && ranges[ranges.length - 1] === offset) ranges[ranges.length - 1] = offset + size;
    else ranges.push(offset, offset + size);
  }
  return { perCoordinate, ranges: Int32Array.from(ranges), perBlock };
}
