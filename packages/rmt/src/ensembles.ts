/**
 * Random-matrix ensembles: real Wishart ($W^\top W$ for Gaussian $W$) and its centred, scaled
 * form, the Gaussian orthogonal ensemble, and their spectra, dense or from the Dumitriu–Edelman
 * tridiagonal β-models (β = 1).
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, checkPositiveInteger, checkRng, eigvalsh, gaussianMatrix, syrk, tridiagonalEigenvalues, type Rng } from '@shallowscape/linalg';
import { finiteValues } from './spectrum-values';

/** How a spectrum is computed: `'dense'` (form the matrix, `eigvalsh`) or `'tridiagonal'` (Dumitriu–Edelman). */
export type SpectrumMethod = 'dense' | 'tridiagonal';

/** Options of {@link wishartSpectrum} and {@link goeSpectrum}. */
export interface SpectrumOptions {
  /** `'tridiagonal'` (default): the Dumitriu–Edelman model, $O(n^2)$; `'dense'`: the matrix itself and `eigvalsh`. */
  method?: SpectrumMethod;
}

/** The normalisation of a Wishart spectrum: towards the semicircle or towards Marchenko–Pastur. */
export type SpectrumNormalization = 'semicircle' | 'marchenko-pastur';

/** Options of {@link normalizeSpectrum}: the law to normalise towards and the shape of $W$ (m × d). */
export interface NormalizeSpectrumOptions {
  /** `'semicircle'`: $(\lambda - m)/\sqrt{md}$; `'marchenko-pastur'`: $\lambda/m$. */
  law: SpectrumNormalization;
  /** $m$, the number of rows of $W$. */
  m: number;
  /** $d$, the number of columns of $W$ (the order of $W^\top W$). */
  d: number;
}

function checkMethod(options: unknown): SpectrumMethod {
  if (options === undefined) return 'tridiagonal';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, 'an options object');
  const method = (options as SpectrumOptions).method;
  if (method === undefined) return 'tridiagonal';
  if (method !== 'dense' && method !== 'tridiagonal') {
    throw new InvalidArgumentError('options.method', method, '"dense" or "tridiagonal"');
  }
  return method;
}

/**
 * A chi deviate with $k$ degrees of freedom, $\chi_k = \sqrt{2\,G}$ with $G \sim \mathrm{Gamma}(k/2, 1)$
 * by Marsaglia & Tsang's method ($|N(0,1)|$ for $k = 1$). Unchecked: $k$ is a positive integer.
 *
 * @see Marsaglia and Tsang, "A simple method for generating gamma variables", ACM TOMS 26 (2000).
 */
export function chiDeviate(k: number, rng: Rng): number {
  if (k === 1) return Math.abs(rng.normal());
  const dShape = k / 2 - 1 / 3;
  const c = 1 / Math.sqrt(9 * dShape);
  for (;;) {
    const x = rng.normal();
    let v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const u = rng.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + dShape * (1 - v + Math.log(v))) {
      return Math.sqrt(2 * dShape * v);
    }
  }
}

/**
 * A real Wishart matrix $A = W^\top W$ ($d \times d$) for an $m \times d$ matrix $W$ of i.i.d.
 * $N(0, 1)$ entries drawn row by row from `rng`:
 *
 * $$A = W^\top W, \qquad \mathbb{E}A = mI_d, \qquad \operatorname{Var} A_{ij} = m(1 + \delta_{ij}).$$
 *
 * The spectrum of $A/m$ tends to the Marchenko–Pastur law of ratio $\gamma = d/m$.
 *
 * @param m - $m \ge 1$, the number of rows of $W$ (samples).
 * @param d - $d \ge 1$, the number of columns of $W$ (the order of $A$).
 * @param rng - the generator every draw comes from.
 * @returns $A$, $d \times d$, symmetric positive semi-definite.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for sizes that are not positive integers or an `rng` that is not an `Rng`.
 * @see Wishart, "The generalised product moment distribution in samples from a normal multivariate population", Biometrika 20A (1928).
 * @example
 * ```ts
 * wishartMatrix(5, 3, createRng(1)).shape; // => [3, 3]
 * wishartMatrix(1, 1, createRng(2)).get(0, 0) >= 0; // => true
 * ```
 */
export function wishartMatrix(m: number, d: number, rng: Rng): Matrix {
  checkPositiveInteger('m', m);
  checkPositiveInteger('d', d);
  return syrk(gaussianMatrix(m, d, checkRng('rng', rng)), { transpose: true });
}

/**
 * The centred, scaled Wishart matrix $(W^\top W - mI)/\sqrt{md}$ ($d \times d$, $W$ an $m \times d$
 * standard Gaussian matrix drawn from `rng`):
 *
 * $$S = \frac{W^\top W - m I_d}{\sqrt{md}}, \qquad \mathbb{E}S_{ij}^2 = \frac{1 + \delta_{ij}}{d}.$$
 *
 * As $d \to \infty$ with $m/d \to \infty$ its spectrum tends to the semicircle on $[-2, 2]$
 * (the mathematics guide, §1.3).
 *
 * @param m - $m \ge 1$, the number of rows of $W$.
 * @param d - $d \ge 1$, the number of columns of $W$.
 * @param rng - the generator every draw comes from.
 * @returns $S$, $d \times d$, symmetric.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for sizes that are not positive integers or a bad `rng`.
 * @see Marchenko and Pastur (1967); Wigner, "On the distribution of the roots of certain symmetric matrices", Ann. Math. 67 (1958).
 * @example
 * ```ts
 * centeredWishartMatrix(400, 4, createRng(3)).shape; // => [4, 4]
 * ```
 */
export function centeredWishartMatrix(m: number, d: number, rng: Rng): Matrix {
  const a = wishartMatrix(m, d, rng);
  const scale = 1 / Math.sqrt(m * d);
  const data = a.data;
  for (let k = 0; k < data.length; k++) data[k] = data[k]! * scale;
  for (let i = 0; i < d; i++) data[i * d + i] = data[i * d + i]! - m * scale;
  return a;
}

/**
 * A matrix of the Gaussian orthogonal ensemble (GOE), normalised with off-diagonal entries
 * $N(0, 1)$ and diagonal entries $N(0, 2)$: $H = (G + G^\top)/\sqrt2$ for an $n \times n$
 * standard Gaussian $G$ drawn row by row from `rng`. Its density is proportional to
 * $\exp(-\operatorname{tr} H^2/4)$, and the spectrum of $H/\sqrt n$ tends to the semicircle on $[-2, 2]$:
 *
 * $$\frac{1}{n}\#\{i : \lambda_i(H)/\sqrt n \le x\} \to F_{\mathrm{sc}}(x), \qquad \mathbb{E}\,\tfrac1n\operatorname{tr}(H/\sqrt n)^2 = 1 + \tfrac1n.$$
 *
 * @param n - $n \ge 1$, the order.
 * @param rng - the generator every draw comes from.
 * @returns $H$, $n \times n$, symmetric.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for an `n` that is not a positive integer or a bad `rng`.
 * @see Wigner, "Characteristic vectors of bordered matrices with infinite dimensions", Ann. Math. 62 (1955).
 * @example
 * ```ts
 * const h = goeMatrix(3, createRng(4));
 * h.get(0, 1) === h.get(1, 0); // => true
 * ```
 */
export function goeMatrix(n: number, rng: Rng): Matrix {
  checkPositiveInteger('n', n);
  const g = gaussianMatrix(n, n, checkRng('rng', rng));
  const data = g.data;
  const s = Math.SQRT1_2;
  for (let i = 0; i < n; i++) {
    data[i * n + i] = Math.SQRT2 * data[i * n + i]!;
    for (let j = i + 1; j < n; j++) {
      const v = s * (data[i * n + j]! + data[j * n + i]!);
      data[i * n + j] = v;
      data[j * n + i] = v;
    }
  }
  return g;
}

/**
 * Eigenvalues of the β = 1 Laguerre tridiagonal model $BB^\top$ of order $p$ with parameter
 * $q \ge p$: $B$ lower bidiagonal with $B_{ii} = \chi_{q - i}$, $B_{i+1,i} = \chi_{p-1-i}$. Unchecked.
 */
function laguerreTridiagonalEigenvalues(p: number, q: number, rng: Rng): Float64Array {
  const a = new Float64Array(p);
  const b = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    a[i] = chiDeviate(q - i, rng);
    if (i < p - 1) b[i] = chiDeviate(p - 1 - i, rng);
  }
  const diagonal = new Float64Array(p);
  const offDiagonal = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const below = i > 0 ? b[i - 1]! : 0;
    diagonal[i] = a[i]! * a[i]! + below * below;
    offDiagonal[i] = a[i]! * b[i]!;
  }
  return tridiagonalEigenvalues(diagonal, offDiagonal);
}

/**
 * The eigenvalues of a real Wishart matrix $W^\top W$ ($W$ an $m \times d$ standard Gaussian matrix),
 * ascending.
 *
 * With `method: 'tridiagonal'` (default) the Dumitriu–Edelman β-Laguerre model (β = 1) is used:
 * for $m \ge d$, $W^\top W$ has the same eigenvalue distribution as $BB^\top$ with $B$ the
 * $d \times d$ lower bidiagonal matrix
 *
 * $$B = \begin{pmatrix} \chi_{m} & & & \\ \chi_{d-1} & \chi_{m-1} & & \\ & \ddots & \ddots & \\ & & \chi_{1} & \chi_{m-d+1} \end{pmatrix}$$
 *
 * (independent chi variables; $B$ is the Golub–Kahan bidiagonal form of $W$), whose tridiagonal
 * $BB^\top$ is solved by implicit QL in $O(d^2)$ after $O(d)$ draws instead of $O(md^2)$. For
 * $m < d$ the $m$ non-zero eigenvalues come from the same model with $m$ and $d$ swapped, and
 * $d - m$ exact zeros are added. With `method: 'dense'`, $W$ is drawn, $W^\top W$ formed
 * ({@link wishartMatrix}) and passed to `eigvalsh`. Both give samples of the same distribution,
 * not the same numbers.
 *
 * @param m - $m \ge 1$, the number of rows of $W$.
 * @param d - $d \ge 1$, the number of columns of $W$.
 * @param rng - the generator every draw comes from.
 * @param options - `method`: `'tridiagonal'` (default) or `'dense'`.
 * @returns the $d$ eigenvalues, ascending.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for bad sizes, `rng` or `options.method`.
 * @throws {@link @shallowscape/linalg!ConvergenceError | ConvergenceError} if the eigenvalue iteration fails (not observed in practice).
 * @see Dumitriu and Edelman, "Matrix models for beta ensembles", J. Math. Phys. 43 (2002).
 * @example
 * ```ts
 * const s = wishartSpectrum(50, 3, createRng(5));
 * s.length; // => 3
 * s[0] <= s[1] && s[1] <= s[2]; // => true
 * wishartSpectrum(2, 4, createRng(6))[1]; // => 0
 * ```
 */
export function wishartSpectrum(m: number, d: number, rng: Rng, options?: SpectrumOptions): Float64Array {
  checkPositiveInteger('m', m);
  checkPositiveInteger('d', d);
  checkRng('rng', rng);
  const method = checkMethod(options);
  if (method === 'dense') return eigvalsh(wishartMatrix(m, d, rng));
  if (m >= d) return laguerreTridiagonalEigenvalues(d, m, rng);
  const out = new Float64Array(d);
  out.set(laguerreTridiagonalEigenvalues(m, d, rng), d - m);
  return out;
}

/**
 * The eigenvalues of a GOE matrix ({@link goeMatrix}: off-diagonal $N(0,1)$, diagonal $N(0,2)$),
 * ascending; divide by $\sqrt n$ ({@link normalizeGoeSpectrum}) for the semicircle on $[-2, 2]$.
 *
 * With `method: 'tridiagonal'` (default) the Dumitriu–Edelman β-Hermite model (β = 1, scaled to
 * this normalisation) is used: the symmetric tridiagonal matrix
 *
 * $$T = \begin{pmatrix} N(0,2) & \chi_{n-1} & & \\ \chi_{n-1} & N(0,2) & \chi_{n-2} & \\ & \ddots & \ddots & \ddots \\ & & \chi_1 & N(0,2) \end{pmatrix}$$
 *
 * (the Householder tridiagonal form of $H$, all entries independent) has the eigenvalue
 * distribution of $H$; it is solved by implicit QL in $O(n^2)$. With `method: 'dense'`, $H$ is
 * drawn and passed to `eigvalsh` ($O(n^3)$).
 *
 * @param n - $n \ge 1$, the order.
 * @param rng - the generator every draw comes from.
 * @param options - `method`: `'tridiagonal'` (default) or `'dense'`.
 * @returns the $n$ eigenvalues, ascending.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a bad `n`, `rng` or `options.method`.
 * @see Dumitriu and Edelman, "Matrix models for beta ensembles", J. Math. Phys. 43 (2002).
 * @example
 * ```ts
 * goeSpectrum(4, createRng(7)).length; // => 4
 * goeSpectrum(4, createRng(7), { method: 'dense' }).length; // => 4
 * ```
 */
export function goeSpectrum(n: number, rng: Rng, options?: SpectrumOptions): Float64Array {
  checkPositiveInteger('n', n);
  checkRng('rng', rng);
  const method = checkMethod(options);
  if (method === 'dense') return eigvalsh(goeMatrix(n, rng));
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diagonal[i] = Math.SQRT2 * rng.normal();
    if (i < n - 1) offDiagonal[i] = chiDeviate(n - 1 - i, rng);
  }
  return tridiagonalEigenvalues(diagonal, offDiagonal);
}

/**
 * Normalises the spectrum of $W^\top W$ ($W$ an $m \times d$ matrix) towards a limiting law:
 *
 * $$\text{semicircle: } \lambda \mapsto \frac{\lambda - m}{\sqrt{md}}, \qquad \text{marchenko-pastur: } \lambda \mapsto \frac{\lambda}{m},$$
 *
 * the spectra of $(W^\top W - mI)/\sqrt{md}$ and $W^\top W/m$. Order is preserved (both maps increase).
 *
 * @param values - eigenvalues $\lambda_i$ of $W^\top W$ (a `Float64Array` or array of finite numbers).
 * @param options - `law` (`'semicircle'` or `'marchenko-pastur'`), `m` and `d` (positive integers).
 * @returns a new `Float64Array` of the normalised values, in the input order.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a bad `law`, `m`, `d` or a non-numeric entry;
 *   {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite value.
 * @example
 * ```ts
 * normalizeSpectrum([90, 100, 110], { law: 'semicircle', m: 100, d: 1 }); // => [-1, 0, 1]
 * normalizeSpectrum([50, 200], { law: 'marchenko-pastur', m: 100, d: 2 }); // => [0.5, 2]
 * ```
 */
export function normalizeSpectrum(values: Float64Array | readonly number[], options: NormalizeSpectrumOptions): Float64Array {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, 'an options object { law, m, d }');
  const { law, m, d } = options;
  if (law !== 'semicircle' && law !== 'marchenko-pastur') {
    throw new InvalidArgumentError('options.law', law, '"semicircle" or "marchenko-pastur"');
  }
  checkPositiveInteger('options.m', m);
  checkPositiveInteger('options.d', d);
  const out = finiteValues('values', values);
  const shift = law === 'semicircle' ? m : 0;
  const scale = law === 'semicircle' ? 1 / Math.sqrt(m * d) : 1 / m;
  for (let k = 0; k < out.length; k++) out[k] = (out[k]! - shift) * scale;
  return out;
}

/**
 * Normalises a GOE spectrum ({@link goeMatrix}) towards the semicircle on $[-2, 2]$:
 * $\lambda \mapsto \lambda/\sqrt n$.
 *
 * @param values - eigenvalues of an $n \times n$ GOE matrix (a `Float64Array` or array of finite numbers).
 * @param n - the order $n \ge 1$.
 * @returns a new `Float64Array` of $\lambda_i/\sqrt n$, in the input order.
 * @throws {@link @shallowscape/linalg!InvalidArgumentError | InvalidArgumentError} for a bad `n` or entry;
 *   {@link @shallowscape/linalg!NonFiniteError | NonFiniteError} for a NaN or infinite value.
 * @example
 * ```ts
 * normalizeGoeSpectrum([-4, 2], 4); // => [-2, 1]
 * ```
 */
export function normalizeGoeSpectrum(values: Float64Array | readonly number[], n: number): Float64Array {
  checkPositiveInteger('n', n);
  const out = finiteValues('values', values);
  const scale = 1 / Math.sqrt(n);
  for (let k = 0; k < out.length; k++) out[k] = out[k]! * scale;
  return out;
}
