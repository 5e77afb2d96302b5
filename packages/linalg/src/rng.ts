import { InvalidArgumentError } from './errors';
import { Matrix } from './matrix';
import { assertDimension, assertFiniteNumber } from './validate';
import { naturalLog } from './natural-log';
import { wasmNormalDeviates } from './backends/wasm-simd-normal-deviates';

/** The serialisable state of an {@link Rng}: restore it with {@link Rng.fromState}. */
export interface RngState {
  /** Always `"xoshiro256**"`. */
  algorithm: 'xoshiro256**';
  /** The four 64-bit state words `s₀…s₃` as 16-digit lowercase hex strings. */
  s: [string, string, string, string];
  /** A cached second normal deviate from the polar method, or `null`. */
  spareNormal: number | null;
}

/** A seed: a non-negative safe integer or a non-negative bigint below 2⁶⁴. */
export type Seed = number | bigint;

const MASK64 = (1n << 64n) - 1n;
// Deviates from which Rng.fillNormal draws in WebAssembly (below, the call costs more than it saves).
const NORMAL_KERNEL_MIN = 64;
const TWO32 = 4294967296;
const TWO_M53 = 1 / 9007199254740992;

// Jump polynomials from the reference implementation (Blackman & Vigna): 2¹²⁸ and 2¹⁹² steps.
const JUMP = [0x180ec6d33cfd0aban, 0xd5a61266f0c9392cn, 0xa9582618e03fc9aan, 0x39abdc4529b1661cn];
const LONG_JUMP = [0x76e15d3efefdcbbfn, 0xc5004e441c522fb3n, 0x77710069854ee241n, 0x39109bb02acbe635n];

/**
 * SplitMix64 (Steele, Lea & Flood 2014), used only to expand a seed into the 256-bit
 * xoshiro state, as the xoshiro authors recommend.
 */
function splitMix64Sequence(seed: bigint, count: number): bigint[] {
  let x = seed & MASK64;
  const out: bigint[] = [];
  for (let k = 0; k < count; k++) {
    x = (x + 0x9e3779b97f4a7c15n) & MASK64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    out.push(z ^ (z >> 31n));
  }
  return out;
}

function checkSeed(seed: unknown): bigint {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', seed, 'a non-negative integer');
    return BigInt(seed);
  }
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > MASK64) throw new InvalidArgumentError('seed', seed, 'a bigint in [0, 2⁶⁴)');
    return seed;
  }
  throw new InvalidArgumentError('seed', seed, 'a non-negative integer');
}

/**
 * A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna 2018), period 2²⁵⁶ − 1,
 * seeded through SplitMix64. The same seed gives the same bits on every platform; the state is
 * saveable ({@link Rng.getState}) and {@link Rng.split} / {@link Rng.jump} give independent,
 * non-overlapping streams (2¹²⁸ draws apart).
 *
 * Uniforms are `(x >>> 11) · 2⁻⁵³ ∈ [0, 1)`; normals use Marsaglia's polar method, with the
 * logarithm of fdlibm ({@link naturalLog}) so that they have the same bits on every engine.
 *
 * @see D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM Trans. Math. Softw. 47(4), 2021, https://doi.org/10.1145/3460772 (xoshiro256**)
 * @example
 * ```ts
 * const a = createRng(42), b = createRng(42);
 * a.uniform() === b.uniform(); // => true
 * ```
 */
export class Rng {
  // State words s0..s3 as (hi, lo) uint32 pairs: [s0h, s0l, s1h, s1l, s2h, s2l, s3h, s3l].
  private readonly st = new Uint32Array(8);
  private spare: number | null = null;
  // Output of the last next64(): high and low 32 bits.
  private outHi = 0;
  private outLo = 0;

  private constructor() {}

  /** A generator seeded with `seed` through SplitMix64. */
  static fromSeed(seed: Seed): Rng {
    const words = splitMix64Sequence(checkSeed(seed), 4);
    const rng = new Rng();
    rng.setWords(words);
    return rng;
  }

  /**
   * Restores a generator from {@link Rng.getState}.
   * @throws {@link InvalidArgumentError} for a malformed or all-zero state.
   */
  static fromState(state: RngState): Rng {
    if (state === null || typeof state !== 'object' || state.algorithm !== 'xoshiro256**' || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new InvalidArgumentError('state', state, 'an xoshiro256** RngState');
    }
    const words = state.s.map((h, k) => {
      if (typeof h !== 'string' || !/^[0-9a-f]{1,16}$/i.test(h)) throw new InvalidArgumentError(`state.s[${k}]`, h, 'a 64-bit hex string');
      return BigInt(`0x${h}`);
    });
    if (words.every((w) => w === 0n)) throw new InvalidArgumentError('state.s', 'all zero', 'a non-zero state');
    const rng = new Rng();
    rng.setWords(words);
    const spare = state.spareNormal;
    if (spare !== null && spare !== undefined) assertFiniteNumber('state.spareNormal', spare);
    rng.spare = spare ?? null;
    return rng;
  }

  /** The current state, as plain JSON-serialisable data. */
  getState(): RngState {
    const s = this.words().map((w) => w.toString(16).padStart(16, '0')) as [string, string, string, string];
    return { algorithm: 'xoshiro256**', s, spareNormal: this.spare };
  }

  /** An independent copy with the same state. */
  clone(): Rng {
    const r = new Rng();
    r.st.set(this.st);
    r.spare = this.spare;
    return r;
  }

  /** Advances this generator by 2¹²⁸ draws (equivalent to 2¹²⁸ calls of `nextUint64`). */
  jump(): this {
    this.applyJump(JUMP);
    return this;
  }

  /** Advances this generator by 2¹⁹² draws. */
  longJump(): this {
    this.applyJump(LONG_JUMP);
    return this;
  }

  /**
   * Returns a new generator that continues from the current state and jumps this one ahead by
   * 2¹²⁸ draws, so the two streams never overlap. Calling `split()` k times gives k+1 streams.
   */
  split(): Rng {
    const child = this.clone();
    child.spare = null;
    this.spare = null;
    this.jump();
    return child;
  }

  /** The next 64-bit output as a bigint (slow path, for tests and interop). */
  nextUint64(): bigint {
    this.next64();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** The high 32 bits of the next 64-bit output, as an unsigned integer. */
  nextUint32(): number {
    this.next64();
    return this.outHi;
  }

  /** A uniform double in `[0, 1)` with 53 random bits. */
  uniform(): number {
    this.next64();
    return (this.outHi * 2097152 + (this.outLo >>> 11)) * TWO_M53;
  }

  /** A uniform double in `[low, high)`. */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /**
   * An unbiased uniform integer in `[0, n)` (rejection sampling on 32 bits), `1 ≤ n ≤ 2³²`.
   * @throws {@link InvalidArgumentError} for `n` outside that range.
   */
  integer(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO32) throw new InvalidArgumentError('n', n, 'an integer in [1, 2³²]');
    const limit = TWO32 - (TWO32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal deviate `N(0, 1)` (Marsaglia polar method). */
  normal(): number {
    const s = this.spare;
    if (s !== null) {
      this.spare = null;
      return s;
    }
    let u: number, v: number, r: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      r = u * u + v * v;
    } while (r >= 1 || r === 0);
    const f = Math.sqrt((-2 * naturalLog(r)) / r);
    this.spare = v * f;
    return u * f;
  }

  /** `±1` with probability ½ each (Rademacher). */
  rademacher(): number {
    return this.nextUint32() & 0x80000000 ? 1 : -1;
  }

  /** Fills `out` with uniforms in `[0, 1)` and returns it. */
  fillUniform(out: Float64Array): Float64Array {
    for (let k = 0; k < out.length; k++) out[k] = this.uniform();
    return out;
  }

  /**
   * Fills `out` with `N(mean, std²)` deviates and returns it: `out[k] = mean + std · z_k` for the
   * next `out.length` values `z_k` of {@link Rng.normal}, the same bits and the same state after.
   * From 64 deviates on they are drawn in WebAssembly where it is supported (the same steps,
   * about three times faster).
   */
  fillNormal(out: Float64Array, mean = 0, std = 1): Float64Array {
    let k = 0;
    if (this.spare !== null && out.length > 0) {
      out[0] = mean + std * this.spare;
      this.spare = null;
      k = 1;
    }
    const kernel = out.length - k >= NORMAL_KERNEL_MIN ? wasmNormalDeviates() : null;
    if (kernel !== null) {
      this.spare = kernel(this.st, out, k, mean, std);
      return out;
    }
    for (; k < out.length; k++) out[k] = mean + std * this.normal();
    return out;
  }

  private next64(): void {
    const st = this.st;
    const s0h = st[0]!, s0l = st[1]!, s1h = st[2]!, s1l = st[3]!;
    const s2h = st[4]!, s2l = st[5]!, s3h = st[6]!, s3l = st[7]!;
    // r = rotl(s1 * 5, 7) * 9
    let pl = s1l * 5;
    let ml = pl >>> 0;
    let mh = (Math.imul(s1h, 5) + Math.floor(pl / TWO32)) >>> 0;
    const rh = ((mh << 7) | (ml >>> 25)) >>> 0;
    const rl = ((ml << 7) | (mh >>> 25)) >>> 0;
    pl = rl * 9;
    ml = pl >>> 0;
    mh = (Math.imul(rh, 9) + Math.floor(pl / TWO32)) >>> 0;
    this.outHi = mh;
    this.outLo = ml;
    // t = s1 << 17
    const th = ((s1h << 17) | (s1l >>> 15)) >>> 0;
    const tl = (s1l << 17) >>> 0;
    const n2h = (s2h ^ s0h) >>> 0, n2l = (s2l ^ s0l) >>> 0;
    const n3h = (s3h ^ s1h) >>> 0, n3l = (s3l ^ s1l) >>> 0;
    st[2] = s1h ^ n2h;
    st[3] = s1l ^ n2l;
    st[0] = s0h ^ n3h;
    st[1] = s0l ^ n3l;
    st[4] = n2h ^ th;
    st[5] = n2l ^ tl;
    // s3 = rotl(s3, 45): swap halves (rotate 32), then rotate 13.
    st[6] = ((n3l << 13) | (n3h >>> 19)) >>> 0;
    st[7] = ((n3h << 13) | (n3l >>> 19)) >>> 0;
  }

  private words(): bigint[] {
    const st = this.st;
    const out: bigint[] = [];
    for (let k = 0; k < 4; k++) out.push((BigInt(st[2 * k]!) << 32n) | BigInt(st[2 * k + 1]!));
    return out;
  }

  private setWords(words: bigint[]): void {
    for (let k = 0; k < 4; k++) {
      const w = words[k]!;
      this.st[2 * k] = Number((w >> 32n) & 0xffffffffn);
      this.st[2 * k + 1] = Number(w & 0xffffffffn);
    }
  }

  private applyJump(poly: bigint[]): void {
    const acc = new Uint32Array(8);
    for (const word of poly) {
      for (let b = 0n; b < 64n; b++) {
        if ((word >> b) & 1n) {
          for (let k = 0; k < 8; k++) acc[k]! ^= this.st[k]!;
        }
        this.next64();
      }
    }
    this.st.set(acc);
    this.spare = null;
  }
}

/**
 * Creates a seeded generator (xoshiro256** seeded by SplitMix64).
 * @param seed - a non-negative integer or bigint below 2⁶⁴.
 * @throws {@link InvalidArgumentError} for a negative, fractional or oversized seed.
 * @example
 * ```ts
 * createRng(7).getState().algorithm; // => "xoshiro256**"
 * ```
 */
export function createRng(seed: Seed): Rng {
  return Rng.fromSeed(seed);
}

/**
 * Checks that `rng` is a generator, an {@link Rng}, and returns it: the one generator check that
 * every function taking randomness uses.
 *
 * $$\texttt{rng} \in \mathrm{Rng}$$
 *
 * @param argument - the argument's name for the message, e.g. `'options.rng'`.
 * @param rng - the value to check.
 * @returns `rng`, typed as an {@link Rng}.
 * @throws {@link InvalidArgumentError} naming `argument` when `rng` is not an {@link Rng}.
 * @example
 * ```ts
 * checkRng('rng', createRng(1)) instanceof Rng; // => true
 * checkRng('options.rng', 42); // throws InvalidArgumentError
 * ```
 */
export function checkRng(argument: string, rng: unknown): Rng {
  if (!(rng instanceof Rng)) throw new InvalidArgumentError(argument, rng, 'an Rng from createRng(seed)');
  return rng;
}

/**
 * A `rows × cols` matrix of i.i.d. `N(0, std²)` entries, drawn row by row from `rng`.
 * @throws {@link InvalidArgumentError} for negative sizes or a non-finite `std`.
 * @example
 * ```ts
 * gaussianMatrix(2, 3, createRng(1)).shape; // => [2, 3]
 * ```
 */
export function gaussianMatrix(rows: number, cols: number, rng: Rng, std = 1): Matrix {
  assertDimension('rows', rows);
  assertDimension('cols', cols);
  assertFiniteNumber('std', std);
  checkRng('rng', rng);
  const m = new Matrix(rows, cols);
  rng.fillNormal(m.data, 0, std);
  return m;
}

/**
 * A `rows × cols` matrix of i.i.d. uniform entries on `[low, high)`.
 */
export function uniformMatrix(rows: number, cols: number, rng: Rng, low = 0, high = 1): Matrix {
  assertDimension('rows', rows);
  assertDimension('cols', cols);
  assertFiniteNumber('low', low);
  assertFiniteNumber('high', high);
  checkRng('rng', rng);
  const m = new Matrix(rows, cols);
  const d = m.data;
  for (let k = 0; k < d.length; k++) d[k] = low + (high - low) * rng.uniform();
  return m;
}

/**
 * A random symmetric matrix `(G + Gᵀ)/2` with `G` Gaussian: a convenient seeded test input.
 */
export function randomSymmetric(n: number, rng: Rng): Matrix {
  const g = gaussianMatrix(n, n, rng);
  const d = g.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (d[i * n + j]! + d[j * n + i]!);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return g;
}
