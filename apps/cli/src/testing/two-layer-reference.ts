/**
 * Test references for the two-layer parts of `train` and `eval`: the network, its risk, its
 * gradients and the Gaussian-input population risks of ReLU and erf networks, written as plain
 * loops over samples and units, independently of `@shallowscape/model` (no shared kernels, no
 * matrix products). Used only by the tests.
 *
 * @packageDocumentation
 */

/** A two-layer network given by plain arrays: `w[r]` is row r of W. */
export interface ReferenceNet {
  w: number[][];
  a: number[];
  activation: 'relu' | 'quadratic' | 'tanh' | 'erf' | 'softplus' | 'sigmoid';
  parameterization: 'ntk' | 'mean-field' | 'standard';
}

/** $\operatorname{erf}(z)$ by its Maclaurin series ($|z| \le 3$) or continued fraction (beyond), to ~1e-15. */
export function referenceErf(z: number): number {
  const x = Math.abs(z);
  let value: number;
  if (x <= 3) {
    let term = x;
    let sum = x;
    for (let k = 1; k < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
      term *= (-x * x) / k;
      sum += term / (2 * k + 1);
    }
    value = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz, backwards).
    let fraction = 0;
    for (let k = 60; k >= 1; k--) fraction = k / 2 / (x + fraction);
    value = 1 - Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + fraction);
  }
  return z < 0 ? -value : value;
}

/** σ(z) and σ'(z) of an activation (relu'(0) = 0). */
export function referenceActivation(name: ReferenceNet['activation'], z: number): [number, number] {
  switch (name) {
    case 'relu':
      return [Math.max(0, z), z > 0 ? 1 : 0];
    case 'quadratic':
      return [z * z, 2 * z];
    case 'tanh':
      return [Math.tanh(z), 1 - Math.tanh(z) ** 2];
    case 'erf':
      return [referenceErf(z), (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z)];
    case 'softplus':
      return [Math.log1p(Math.exp(z)), 1 / (1 + Math.exp(-z))];
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return [s, s * (1 - s)];
    }
  }
}

/** The output scale s of a parameterisation at width m. */
export function referenceScale(parameterization: ReferenceNet['parameterization'], m: number): number {
  return parameterization === 'ntk' ? 1 / Math.sqrt(m) : parameterization === 'mean-field' ? 1 / m : 1;
}

/** Risk (1/N) Σ (f(x_i) − y_i)² and its gradients with respect to W and a, by loops. */
export function referenceRiskAndGradients(net: ReferenceNet, x: number[][], y: number[]): { risk: number; gw: number[][]; ga: number[] } {
  const m = net.a.length;
  const d = x[0]!.length;
  const s = referenceScale(net.parameterization, m);
  const gw = Array.from({ length: m }, () => new Array<number>(d).fill(0));
  const ga = new Array<number>(m).fill(0);
  let risk = 0;
  for (let i = 0; i < x.length; i++) {
    const pre = net.w.map((row) => row.reduce((t, v, k) => t + v * x[i]![k]!, 0));
    const act = pre.map((z) => referenceActivation(net.activation, z));
    let f = 0;
    for (let r = 0; r < m; r++) f += s * net.a[r]! * act[r]![0];
    const e = f - y[i]!;
    risk += e * e;
    for (let r = 0; r < m; r++) {
      ga[r]! += (2 * e * s * act[r]![0]) / x.length;
      for (let k = 0; k < d; k++) gw[r]![k]! += (2 * e * s * net.a[r]! * act[r]![1] * x[i]![k]!) / x.length;
    }
  }
  return { risk: risk / x.length, gw, ga };
}

/** E[σ(u·x) σ(v·x)] for x ~ N(0, I): the arc-cosine kernel (relu) or the arcsine kernel (erf). */
function gaussianKernel(activation: 'relu' | 'erf', u: number[], v: number[]): number {
  const uv = u.reduce((t, ui, k) => t + ui * v[k]!, 0);
  const uu = u.reduce((t, ui) => t + ui * ui, 0);
  const vv = v.reduce((t, vi) => t + vi * vi, 0);
  if (activation === 'erf') return (2 / Math.PI) * Math.asin((2 * uv) / Math.sqrt((1 + 2 * uu) * (1 + 2 * vv)));
  const norms = Math.sqrt(uu * vv);
  if (norms === 0) return 0;
  const theta = Math.acos(Math.max(-1, Math.min(1, uv / norms)));
  return (norms * (Math.sin(theta) + (Math.PI - theta) * Math.cos(theta))) / (2 * Math.PI);
}

/** E_x[(f(x) − f*(x))²] for x ~ N(0, I_d) by the double sums over units of the closed-form kernels. */
export function referencePopulationRisk(student: ReferenceNet, teacher: ReferenceNet): number {
  const activation = student.activation;
  if (activation !== 'relu' && activation !== 'erf') throw new Error(`no closed form for ${activation}`);
  const units = [
    ...student.w.map((w, r) => ({ w, c: referenceScale(student.parameterization, student.a.length) * student.a[r]! })),
    ...teacher.w.map((w, j) => ({ w, c: -referenceScale(teacher.parameterization, teacher.a.length) * teacher.a[j]! })),
  ];
  let total = 0;
  for (const p of units) for (const q of units) total += p.c * q.c * gaussianKernel(activation, p.w, q.w);
  return total;
}
