/**
 * WGSL of the tiled single-precision matrix product
 * $C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta C$ on row-major buffers.
 *
 * A workgroup of 16 × 16 invocations computes a 64 × 64 tile of $C$, each invocation a 4 × 4 block,
 * from 64 × 16 tiles of $\mathrm{op}(A)$ and 16 × 64 tiles of $\mathrm{op}(B)$ staged in workgroup
 * memory (8 KiB). Transposes are read through the index map, so no transposed copy is made.
 * Entries outside the matrices read as 0 and are not written. $k$ is summed in increasing order,
 * the same order for every entry, so $A A^\top$ comes out exactly symmetric.
 *
 * @packageDocumentation
 */

/** Rows and columns of the tile of C a workgroup computes. */
export const SGEMM_TILE = 64;

/** The parameters of one product, in the layout of the uniform `Params` struct. */
export interface SgemmParams {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
}

/**
 * The uniform buffer of {@link SGEMM_WGSL}: `m, n, k, transA, transB` as u32, then `alpha, beta`
 * as f32 (32 bytes).
 *
 * @param p - the product.
 * @returns the bytes.
 */
export function sgemmUniforms(p: SgemmParams): ArrayBuffer {
  const buffer = new ArrayBuffer(32);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  u[0] = p.m;
  u[1] = p.n;
  u[2] = p.k;
  u[3] = p.transA ? 1 : 0;
  u[4] = p.transB ? 1 : 0;
  f[5] = p.alpha;
  f[6] = p.beta;
  return buffer;
}

/** The shader: bindings 0 `A`, 1 `B` (read), 2 `C` (read-write), 3 the parameters. */
export const SGEMM_WGSL = /* wgsl */ `
struct Params {
  m: u32, n: u32, k: u32, transA: u32, transB: u32, alpha: f32, beta: f32, pad: u32,
};
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;

const TILE: u32 = 64u;
const TK: u32 = 16u;
var<workgroup> As: array<f32, 1024>; // 64 rows x 16
var<workgroup> Bs: array<f32, 1024>; // 16 rows x 64

// op(A)[row, col], 0 outside.
fn loadA(row: u32, col: u32) -> f32 {
  if (row >= p.m || col >= p.k) { return 0.0; }
  if (p.transA == 1u) { return A[col * p.m + row]; }
  return A[row * p.k + col];
}
// op(B)[row, col], 0 outside.
fn loadB(row: u32, col: u32) -> f32 {
  if (row >= p.k || col >= p.n) { return 0.0; }
  if (p.transB == 1u) { return B[col * p.k + row]; }
  return B[row * p.n + col];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let rowBase = wg.y * TILE;
  let colBase = wg.x * TILE;
  let t = lid.y * 16u + lid.x;
  var acc: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { acc[i] = 0.0; }
  let tiles = (p.k + TK - 1u) / TK;
  for (var kt = 0u; kt < tiles; kt++) {
    let k0 = kt * TK;
    // 256 invocations load 1024 entries of each tile, 4 each.
    for (var s = 0u; s < 4u; s++) {
      let e = t + s * 256u;
      let ar = e / TK;
      let ac = e % TK;
      As[e] = loadA(rowBase + ar, k0 + ac);
      let br = e / TILE;
      let bc = e % TILE;
      Bs[e] = loadB(k0 + br, colBase + bc);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { a[i] = As[(lid.y * 4u + i) * TK + kk]; }
      for (var j = 0u; j < 4u; j++) { b[j] = Bs[kk * TILE + lid.x * 4u + j]; }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] = acc[i * 4u + j] + a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let row = rowBase + lid.y * 4u + i;
    if (row >= p.m) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let col = colBase + lid.x * 4u + j;
      if (col >= p.n) { continue; }
      let idx = row * p.n + col;
      var v = p.alpha * acc[i * 4u + j];
      if (p.beta != 0.0) { v = v + p.beta * C[idx]; }
      C[idx] = v;
    }
  }
}
`;
