/**
 * WGSL of the small kernels around the products: scaling the rows of a matrix, and the residuals
 * of a quadratic network with their partial sums of squares.
 *
 * @packageDocumentation
 */

/** Invocations per workgroup of the one-dimensional kernels. */
export const WORKGROUP_1D = 256;

/**
 * WGSL that stores `value²` of each invocation in the workgroup array `squares` and writes their
 * sum, by a tree reduction, to `partials[workgroup]` (the tail of the kernels that return partial
 * sums of squares; the caller declares `squares` and `partials` and the builtins it uses).
 */
function sumSquaresIntoPartials(value: string): string {
  return `  squares[lid.x] = ${value} * ${value};
  workgroupBarrier();
  for (var s = ${WORKGROUP_1D / 2}u; s > 0u; s = s / 2u) {
    if (lid.x < s) { squares[lid.x] = squares[lid.x] + squares[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { partials[wg.x + wg.y * nwg.x] = squares[0]; }`;
}

/**
 * $Y_{i,:} = w_i X_{i,:}$ for the `rows × cols` row-major $X$. Bindings: 0 `X`, 1 `w` (read),
 * 2 `Y` (write), 3 `rows, cols` (uniform u32).
 */
export const SCALE_ROWS_WGSL = /* wgsl */ `
struct Dims { rows: u32, cols: u32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.x + gid.y * nwg.x * ${WORKGROUP_1D}u;
  if (idx >= dims.rows * dims.cols) { return; }
  Y[idx] = w[idx / dims.cols] * X[idx];
}
`;

/**
 * The residuals of a (signed) quadratic network from $Z = X W^\top$ (`N × m`):
 * $e_i = \sum_j v_j Z_{ij}^2 - y_i$, the matrix $T_{ij} = v_j e_i Z_{ij}$ (so that
 * $\nabla_W \hat L = \tfrac{4}{N} T^\top X$), and per workgroup the partial sum of $e_i^2$.
 * Bindings: 0 `Z`, 1 `y`, 2 `v` (read), 3 `T` (write), 4 `partials` (write), 5 `N, m` (uniform).
 */
export const QUADRATIC_RESIDUALS_WGSL = /* wgsl */ `
struct Dims { n: u32, m: u32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<storage, read> Z: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> T: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<uniform> dims: Dims;
var<workgroup> squares: array<f32, ${WORKGROUP_1D}>;

@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP_1D}u;
  var e = 0.0;
  if (i < dims.n) {
    var f = 0.0;
    for (var j = 0u; j < dims.m; j++) {
      let z = Z[i * dims.m + j];
      f = f + v[j] * z * z;
    }
    e = f - y[i];
    for (var j = 0u; j < dims.m; j++) {
      T[i * dims.m + j] = v[j] * e * Z[i * dims.m + j];
    }
  }
${sumSquaresIntoPartials('e')}
}
`;

/** $w_i \leftarrow w_i - \eta\, g_i$. Bindings: 0 `w` (read-write), 1 `g` (read), 2 `length, η` (uniform). */
export const DESCENT_STEP_WGSL = /* wgsl */ `
struct Step { length: u32, rate: f32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<uniform> step: Step;

@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP_1D}u;
  if (i >= step.length) { return; }
  w[i] = w[i] - step.rate * g[i];
}
`;

/** Per-workgroup sums of $x_i^2$. Bindings: 0 `x` (read), 1 `partials` (write), 2 `length` (uniform). */
export const SUM_OF_SQUARES_WGSL = /* wgsl */ `
struct Dims { length: u32, pad0: u32, pad1: u32, pad2: u32 };
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> partials: array<f32>;
@group(0) @binding(2) var<uniform> dims: Dims;
var<workgroup> squares: array<f32, ${WORKGROUP_1D}>;

@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP_1D}u;
  var v = 0.0;
  if (i < dims.length) { v = x[i]; }
${sumSquaresIntoPartials('v')}
}
`;

/**
 * The residuals of a two-layer ReLU network $f(x) = s \sum_r a_r \operatorname{relu}(w_r \cdot x)$
 * from $Z = X W^\top$ (`N × m`): $e_i = f(x_i) - y_i$, $T_{ir} = e_i a_r \operatorname{relu}'(Z_{ir})$
 * (so that $\nabla_W \hat L = \frac{2s}{N} T^\top X$), $R_{ir} = \operatorname{relu}(Z_{ir})$ (so that
 * $\nabla_a \hat L = \frac{2s}{N} R^\top e$), $e$ itself, and per workgroup the partial sum of
 * $e_i^2$; $\operatorname{relu}'(0) = 0$. Bindings: 0 `Z`, 1 `y`, 2 `a` (read), 3 `T`, 4 `R`,
 * 5 `e`, 6 `partials` (write), 7 `N, m, s` (uniform).
 */
export const RELU_RESIDUALS_WGSL = /* wgsl */ `
struct Dims { n: u32, m: u32, scale: f32, pad: u32 };
@group(0) @binding(0) var<storage, read> Z: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read_write> T: array<f32>;
@group(0) @binding(4) var<storage, read_write> R: array<f32>;
@group(0) @binding(5) var<storage, read_write> e: array<f32>;
@group(0) @binding(6) var<storage, read_write> partials: array<f32>;
@group(0) @binding(7) var<uniform> dims: Dims;
var<workgroup> squares: array<f32, ${WORKGROUP_1D}>;

@compute @workgroup_size(${WORKGROUP_1D})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP_1D}u;
  var ei = 0.0;
  if (i < dims.n) {
    var f = 0.0;
    for (var r = 0u; r < dims.m; r++) {
      f = f + a[r] * max(Z[i * dims.m + r], 0.0);
    }
    ei = dims.scale * f - y[i];
    e[i] = ei;
    for (var r = 0u; r < dims.m; r++) {
      let z = Z[i * dims.m + r];
      R[i * dims.m + r] = max(z, 0.0);
      T[i * dims.m + r] = select(0.0, ei * a[r], z > 0.0);
    }
  }
${sumSquaresIntoPartials('ei')}
}
`;
