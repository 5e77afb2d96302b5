/**
 * Axis ticks at "nice" round numbers (1, 2 or 5 times a power of ten), for the SVG plots.
 *
 * @packageDocumentation
 */

/** Ticks of one axis: the values and the number of decimals that prints them all exactly. */
export interface AxisTicks {
  /** Tick positions, ascending, all inside `[min, max]`. */
  values: number[];
  /** The tick step $s = c \cdot 10^k$, $c \in \{1, 2, 5\}$. */
  step: number;
  /** Decimals needed to print the ticks: $\max(0, -k)$. */
  decimals: number;
}

/**
 * Ticks at multiples of a round step $s = c \cdot 10^k$, $c \in \{1, 2, 5\}$, the smallest such
 * step with at most `target + 1` ticks between `min` and `max` (Heckbert, "Nice numbers for graph
 * labels", Graphics Gems, 1990, with the step chosen from the span instead of rounded).
 *
 * @param min - the lower end of the axis, finite.
 * @param max - the upper end, finite and `> min`.
 * @param target - the desired number of intervals (default 5), at least 1.
 * @returns the ticks $\{ j s : \lceil min/s \rceil \le j \le \lfloor max/s \rfloor \}$ and the decimals to print them.
 * @throws `RangeError` when `min`/`max` are not finite with `min < max` or `target < 1`.
 * @see https://doi.org/10.1016/B978-0-08-050753-8.50019-1
 * @example
 * ```ts
 * niceTicks(-2.3, 2.3).values; // => [-2, -1, 0, 1, 2]
 * ```
 */
export function niceTicks(min: number, max: number, target = 5): AxisTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) throw new RangeError(`niceTicks: need finite min < max, got [${min}, ${max}]`);
  if (!(target >= 1)) throw new RangeError(`niceTicks: target must be at least 1, got ${target}`);
  const raw = (max - min) / target;
  let exponent = Math.floor(Math.log10(raw));
  let step = 0;
  for (;;) {
    const power = 10 ** exponent;
    const found = [1, 2, 5].find((c) => c * power >= raw * (1 - 1e-12));
    if (found !== undefined) {
      step = found * power;
      break;
    }
    exponent += 1;
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-12));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const values: number[] = [];
  for (let j = first; j <= last; j++) {
    // Round to the printed precision so that 0.1 * 3 becomes 0.3 exactly as printed.
    const v = Number((j * step).toFixed(decimals));
    values.push(Object.is(v, -0) ? 0 : v);
  }
  return { values, step, decimals };
}

/**
 * Prints a tick value with the given number of decimals; large or tiny magnitudes (≥ 1e6, or
 * steps below 1e-4) in exponent form.
 *
 * @example
 * ```ts
 * formatTick(0.5, 1); // => "0.5"
 * ```
 */
export function formatTick(value: number, decimals: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1e6 || decimals > 4) return Number(value.toPrecision(3)).toExponential();
  return value.toFixed(decimals);
}
