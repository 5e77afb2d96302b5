/**
 * The `Objective` interface every optimiser in this package minimises, and its validation.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, ShapeError, assertDimension } from '@shallowscape/linalg';

/**
 * A named contiguous block of parameters inside the flat parameter vector, e.g. the hidden
 * weights `W` (size `m·d`) followed by the output weights `a` (size `m`) of a two-layer network.
 * Blocks are laid out in order: block `b` occupies `[offset_b, offset_b + size_b)` with
 * $\mathrm{offset}_b = \sum_{c < b} \mathrm{size}_c$.
 */
export interface ParameterBlock {
  /** A unique, non-empty name, e.g. `"W"` or `"a"`. Per-block options are keyed by it. */
  readonly name: string;
  /** Number of parameters in the block (a non-negative integer). */
  readonly size: number;
}

/**
 * A differentiable function $f : \mathbb{R}^n \to \mathbb{R}$ of a flat parameter vector $x$,
 * split into named {@link ParameterBlock}s whose sizes sum to $n$.
 *
 * Models satisfy this interface structurally (this package imports no model code). Methods must
 * not keep or modify `x`; `gradient` writes into `out` when it is given and returns it.
 */
export interface Objective {
  /** The parameter blocks, in the order they are laid out in `x`. */
  readonly blocks: readonly ParameterBlock[];
  /** $f(x)$. */
  value(x: Float64Array): number;
  /** $\nabla f(x)$, written into `out` (length $n$) when given, otherwise into a new array. */
  gradient(x: Float64Array, out?: Float64Array): Float64Array;
  /**
   * Optional fused evaluation: writes $\nabla f(x)$ into `out` and returns $f(x)$. Optimisers use
   * it when present (one pass over the data instead of two).
   */
  valueAndGradient?(x: Float64Array, out: Float64Array): number;
  /** Optional Hessian-vector product $\nabla^2 f(x)\, v$, written into `out` when given. */
  hessianVectorProduct?(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
}

/** A {@link ParameterBlock} with its offset in the flat vector. */
export interface BlockLayout extends ParameterBlock {
  /** Index of the block's first parameter in `x`. */
  readonly offset: number;
}

/**
 * Validates an objective's parameter blocks and returns their layout (offsets) and the total
 * dimension $n = \sum_b \mathrm{size}_b$.
 *
 * @param objective - the objective to inspect.
 * @returns the blocks with offsets, and `dimension` $n$.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when `objective` lacks `value` or
 *   `gradient`, when `blocks` is not an array, or a block has an empty or duplicate name or a
 *   size that is not a non-negative integer.
 * @example
 * ```ts
 * const objective = {
 *   blocks: [{ name: 'W', size: 6 }, { name: 'a', size: 2 }],
 *   value: (x: Float64Array) => 0,
 *   gradient: (x: Float64Array, out = new Float64Array(8)) => out.fill(0),
 * };
 * objectiveLayout(objective).dimension; // => 8
 * objectiveLayout(objective).blocks[1]; // => { "name": "a", "size": 2, "offset": 6 }
 * ```
 */
export function objectiveLayout(objective: Objective): { blocks: BlockLayout[]; dimension: number } {
  if (objective === null || typeof objective !== 'object') {
    throw new InvalidArgumentError('objective', objective, 'an Objective { blocks, value, gradient }');
  }
  if (typeof objective.value !== 'function') {
    throw new InvalidArgumentError('objective.value', objective.value, 'a function');
  }
  if (typeof objective.gradient !== 'function') {
    throw new InvalidArgumentError('objective.gradient', objective.gradient, 'a function');
  }
  if (!Array.isArray(objective.blocks)) {
    throw new InvalidArgumentError('objective.blocks', objective.blocks, 'an array of { name, size }');
  }
  const seen = new Set<string>();
  const blocks: BlockLayout[] = [];
  let offset = 0;
  for (const [b, block] of (objective.blocks as readonly ParameterBlock[]).entries()) {
    const name = (block as Partial<ParameterBlock> | null)?.name;
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(`objective.blocks[${b}].name`, name, 'a non-empty string');
    }
    if (seen.has(name)) throw new InvalidArgumentError(`objective.blocks[${b}].name`, name, 'a name not used by another block');
    seen.add(name);
    assertDimension(`objective.blocks[${b}].size`, block.size);
    blocks.push({ name, size: block.size, offset });
    offset += block.size;
  }
  return { blocks, dimension: offset };
}

/** Throws a {@link ShapeError} unless `x` is a Float64Array of length `n`. */
export function assertParameterVector(argument: string, x: unknown, n: number): asserts x is Float64Array {
  if (!(x instanceof Float64Array)) throw new InvalidArgumentError(argument, x, 'a Float64Array');
  if (x.length !== n) {
    throw new ShapeError(`${argument} has length ${x.length}, but the objective's blocks have ${n} parameters in total`, argument);
  }
}
