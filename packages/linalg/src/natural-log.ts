/**
 * The natural logarithm by the algorithm of fdlibm's `__ieee754_log` (Sun Microsystems, 1993),
 * which V8 and SpiderMonkey run for `Math.log`. Written out here so that the generator's normal
 * deviates ({@link Rng.normal}, and the WebAssembly `fillNormal`, which runs the same steps) have
 * the same bits on every engine, including those whose `Math.log` calls the system's library.
 *
 * @packageDocumentation
 */

// ln 2 split into a high part with 32 trailing zero bits and the rest: k · LN2_HI is exact.
const LN2_HI = 6.93147180369123816490e-1; // 0x3FE62E42_FEE00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3DEA39EF_35793C76
const TWO54 = 18014398509481984; // 2⁵⁴, scales a subnormal argument into the normal range
// log(1 + f) = 2s + s·R(z) with s = f / (2 + f), z = s², and R(z) ≈ LG1·z + LG2·z² + … + LG7·z⁷
// (a Remez polynomial on [0, 0.1716], error below 2⁻⁵⁸·⁴⁵).
const LG1 = 6.666666666666735130e-1; // 0x3FE55555_55555593
const LG2 = 3.999999999940941908e-1; // 0x3FD99999_9997FA04
const LG3 = 2.857142874366239149e-1; // 0x3FD24924_94229359
const LG4 = 2.222219843214978396e-1; // 0x3FCC71C5_1D8E78AF
const LG5 = 1.818357216161805012e-1; // 0x3FC74664_96CB03DE
const LG6 = 1.531383769920937332e-1; // 0x3FC39A09_D078C69F
const LG7 = 1.479819860511658591e-1; // 0x3FC2F112_DF3E5244

// One double and its two 32-bit halves (little-endian: index 1 is the high word).
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

/**
 * $\ln x$ for a double `x`, with the bits of fdlibm's `__ieee754_log`: write
 * $x = 2^k (1 + f)$ with $\sqrt2/2 < 1 + f < \sqrt2$, then
 * $\ln x = k \ln 2 + \ln(1 + f)$ and $\ln(1 + f) = f - s(f - R)$ or
 * $f - (f^2/2 - s(f^2/2 + R))$ with $s = f/(2 + f)$ and a degree-14 even polynomial
 * $R(s) = s^2(L_1 + s^2(L_2 + \dots))$; the error is below 1 ulp.
 * Special values as `Math.log`: $\ln(\pm 0) = -\infty$, $\ln x = \mathrm{NaN}$ for $x < 0$ and NaN,
 * $\ln(+\infty) = +\infty$.
 *
 * @param x - any double.
 * @returns $\ln x$.
 * @example
 * ```ts
 * naturalLog(1); // => 0
 * naturalLog(Math.E) === Math.log(Math.E); // => true
 * naturalLog(0); // => -Infinity
 * ```
 */
export function naturalLog(x: number): number {
  bits[0] = x;
  let hx = words[HIGH]! | 0;
  const lx = words[LOW]!;
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2⁻¹⁰²², zero, negative or NaN with the sign bit set.
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    bits[0] = x;
    hx = words[HIGH]! | 0;
  }
  if (hx >= 0x7ff00000) return x + x; // +Infinity or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  // Normalise the mantissa m to [1, 2) or, when m ≥ √2 (high word past 0x6A09E), to [0.5, 1).
  const i = (hx + 0x95f64) & 0x100000;
  words[HIGH] = hx | (i ^ 0x3ff00000);
  x = bits[0]!;
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2⁻²⁰: two terms of the series.
    if (f === 0) {
      if (k === 0) return 0;
      return k * LN2_HI + k * LN2_LO;
    }
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    if (k === 0) return f - r;
    return k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  // Whether f is far from 0 (m outside [1 + 0.0149, 1.0210) or so): then f²/2 is split off.
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + r));
    return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - r);
  return k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
}
