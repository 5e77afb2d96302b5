/**
 * Symmetric linear operators given by their products $v \mapsto Hv$ (a Hessian-vector product at
 * fixed parameters, a sparse or structured matrix), and the checks shared by the spectral
 * estimators that take one.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError } from '../errors';
import { dotKernel } from '../kernels/blas1-kernels';
import { checkRng, type Rng } from '../rng';
import { assertFiniteVector, checkPositiveInteger } from '../validate';

/**
 * A symmetric linear operator $v \mapsto Hv$ on $\mathbb{R}^n$ (e.g. a Hessian-vector product
 * at fixed parameters): writes $Hv$ into `out` (length $n$), or returns a new array holding it.
 * It must not modify `v`.
 */
export type SymmetricOperator = (v: Float64Array, out: Float64Array) => Float64Array | void;

/** Throws unless `hvp` is a function and `n` an integer $\ge 1$. */
export function checkOperator(hvp: unknown, n: unknown): asserts hvp is SymmetricOperator {
  if (typeof hvp !== 'function') throw new InvalidArgumentError('hvp', hvp, 'a function (v, out) => Hv');
  checkPositiveInteger('n', n);
}

/** Throws unless `options` is an object (`expected` describes it for the message). */
export function checkOptionsObject(options: unknown, expected: string): void {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, expected);
}

/**
 * Applies the operator, copying a returned array into `out`, and checks the result is finite.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} when the operator returns an array of the wrong length.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} when $Hv$ has a NaN or infinite entry.
 */
export function applyOperator(hvp: SymmetricOperator, v: Float64Array, out: Float64Array): void {
  const r = hvp(v, out);
  if (r instanceof Float64Array && r !== out) {
    if (r.length !== out.length) throw new InvalidArgumentError('hvp', r, `an operator returning vectors of length ${out.length}`);
    out.set(r);
  }
  assertFiniteVector('hvp(v)', out);
}

/**
 * A copy of a user start vector, after checking that it is a finite `Float64Array` of length `n`.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `options.start` for a wrong type or length.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry.
 */
export function copyStartVector(n: number, start: unknown): Float64Array {
  if (!(start instanceof Float64Array) || start.length !== n) throw new InvalidArgumentError('options.start', start, `a Float64Array of length n = ${n}`);
  assertFiniteVector('options.start', start);
  return start.slice();
}

/**
 * The unit start vector of a run: `options.start` normalised, or a Gaussian draw from
 * `options.rng` (or from `fallbackRng` when that is given and `options.rng` is not).
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} naming `options.start` (wrong type or length, zero) or `options.rng`.
 * @throws {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite entry of `options.start`.
 */
export function unitStartVector(n: number, options: { rng?: Rng; start?: Float64Array }, fallbackRng?: Rng): Float64Array {
  const start = options.start;
  let q: Float64Array;
  if (start !== undefined) q = copyStartVector(n, start);
  else {
    const rng = options.rng ?? fallbackRng;
    if (rng === undefined) throw new InvalidArgumentError('options.rng', undefined, 'an Rng (createRng(seed)) when no start vector is given');
    q = checkRng('options.rng', rng).fillNormal(new Float64Array(n));
  }
  const norm = Math.sqrt(dotKernel(n, q, q));
  if (!(norm > 0) || !Number.isFinite(norm)) throw new InvalidArgumentError('options.start', start, 'a nonzero vector');
  for (let i = 0; i < n; i++) q[i]! /= norm;
  return q;
}
