/**
 * Addressing of `f64` arrays in the module's memory and the row update that the kernels of the
 * Householder passes share. Both are inlined where they are used.
 */

/** The byte address of entry `index` of the `f64` array at byte address `base`. */
@inline
export function addr(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

/**
 * `x_l −= s v_l` for `l = 1 … len − 1` (two entries at a time, then the last odd one): the update
 * of a row by a reflector whose first entry, an implicit 1, is handled by the caller.
 */
@inline
export function subtractScaledTail(x: usize, s: f64, v: usize, len: i32): void {
  const ss = f64x2.splat(s);
  let l = 1;
  for (; l + 1 < len; l += 2) {
    const p = addr(x, l);
    v128.store(p, f64x2.sub(v128.load(p), f64x2.mul(ss, v128.load(addr(v, l)))));
  }
  if (l < len) {
    const p = addr(x, l);
    store<f64>(p, load<f64>(p) - s * load<f64>(addr(v, l)));
  }
}
