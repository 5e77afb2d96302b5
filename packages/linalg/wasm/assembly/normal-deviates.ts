/**
 * Standard normal deviates for `Rng.fillNormal` (`src/rng.ts`): the generator's own steps with the
 * same bits. xoshiro256** (Blackman & Vigna) on four 64-bit words, uniforms `(x >> 11) · 2⁻⁵³`,
 * Marsaglia's polar method, and the natural logarithm by the algorithm of fdlibm's
 * `__ieee754_log` (as `src/natural-log.ts`, which `Rng.normal` uses).
 *
 * The state is four `u64` words at `state` (little-endian `s₀ … s₃`), read and written back.
 */

const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const TWO54: f64 = 18014398509481984.0;
const LG1: f64 = 6.666666666666735130e-1;
const LG2: f64 = 3.999999999940941908e-1;
const LG3: f64 = 2.857142874366239149e-1;
const LG4: f64 = 2.222219843214978396e-1;
const LG5: f64 = 1.818357216161805012e-1;
const LG6: f64 = 1.531383769920937332e-1;
const LG7: f64 = 1.479819860511658591e-1;
const TWO_M53: f64 = 1.0 / 9007199254740992.0;

/** `ln x` with the bits of `naturalLog` in `src/natural-log.ts` (see there for the algorithm). */
@inline
function naturalLog(x: f64): f64 {
  let hx = <i32>(reinterpret<u64>(x) >> 32);
  const lx = <u32>reinterpret<u64>(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = <i32>(reinterpret<u64>(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = reinterpret<f64>((<u64>(<u32>(hx | (i ^ 0x3ff00000))) << 32) | (reinterpret<u64>(x) & 0xffffffff));
  k += i >> 20;
  const dk = <f64>k;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0.0) {
      if (k == 0) return 0.0;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    if (k == 0) return f - r;
    return dk * LN2_HI - (r - dk * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}

/** `natural log` for the tests of the port: `ln x` with the bits of `naturalLog`. */
export function naturalLogOf(x: f64): f64 {
  return naturalLog(x);
}

/**
 * Writes `count` deviates `mean + std · z` to `out` (doubles), `z` the polar method's normals in
 * the generator's order (`u·f`, then `v·f` of each accepted pair), advancing the state at `state`.
 * Returns the second normal of the last pair when `count` is odd (the generator's spare), else NaN.
 */
export function normalDeviates(state: usize, out: usize, count: i32, mean: f64, std: f64): f64 {
  let s0 = load<u64>(state);
  let s1 = load<u64>(state, 8);
  let s2 = load<u64>(state, 16);
  let s3 = load<u64>(state, 24);
  let spare: f64 = NaN;
  for (let k = 0; k < count; k += 2) {
    let u: f64 = 0;
    let v: f64 = 0;
    let r: f64 = 0;
    do {
      // Two uniforms, each one xoshiro256** step.
      let x = rotl<u64>(s1 * 5, 7) * 9;
      let t = s1 << 17;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl<u64>(s3, 45);
      u = 2.0 * (<f64>(x >> 11) * TWO_M53) - 1.0;
      x = rotl<u64>(s1 * 5, 7) * 9;
      t = s1 << 17;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl<u64>(s3, 45);
      v = 2.0 * (<f64>(x >> 11) * TWO_M53) - 1.0;
      r = u * u + v * v;
    } while (r >= 1.0 || r == 0.0);
    const f = Math.sqrt((-2.0 * naturalLog(r)) / r);
    store<f64>(out + ((<usize>k) << 3), mean + std * (u * f));
    if (k + 1 < count) store<f64>(out + ((<usize>(k + 1)) << 3), mean + std * (v * f));
    else spare = v * f;
  }
  store<u64>(state, s0);
  store<u64>(state, s1, 8);
  store<u64>(state, s2, 16);
  store<u64>(state, s3, 24);
  return spare;
}
