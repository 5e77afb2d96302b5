import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, InvalidArgumentError, Matrix, NonFiniteError, ShapeError, createWasmSimdBackend } from '@shallowscape/linalg';
import { expectClose, loadFixture } from '@shallowscape/test-utils';
import { ACTIVATIONS, type Activation } from './activations';
import { TwoLayerEmpiricalRisk } from './two-layer-risk';
import { TwoLayerNet, type Parameterization } from './two-layer-net';

function norm(v: Float64Array): number {
  let s = 0;
  for (const t of v) s += t * t;
  return Math.sqrt(s);
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

function problem(activation: Activation, parameterization: Parameterization, seed: number, n = 23, d = 4, m = 5) {
  const rng = createRng(seed);
  const x = gaussianMatrix(n, d, rng);
  const y = rng.fillNormal(new Float64Array(n));
  const objective = new TwoLayerEmpiricalRisk(x, y, { width: m, activation, parameterization });
  const params = rng.fillNormal(new Float64Array(m * d + m), 0, 0.7);
  const direction = rng.fillNormal(new Float64Array(m * d + m));
  return { x, y, objective, params, direction, rng };
}

describe('TwoLayerEmpiricalRisk', () => {
  it('value equals the mean squared residual of TwoLayerNet.predict', () => {
    for (const activation of ACTIVATIONS) {
      const { x, y, objective, params } = problem(activation, 'ntk', 11);
      const { w, a } = objective.unpack(params);
      const f = new TwoLayerNet(w, a, { activation, parameterization: 'ntk' }).predict(x);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (f[i]! - y[i]!) ** 2;
      expectClose(objective.value(params), s / y.length, { rel: 1e-13 }, activation);
    }
  });

  // Central differences, h = 1e-6: truncation O(h²) ≈ 1e-12 relative, rounding ≈ 1e-16·L/h ≈ 1e-10;
  // bound: max |FD − ∇L| ≤ 1e-6 · max(1, ‖∇L‖∞), both layers, every activation and parameterisation.
  for (const activation of ACTIVATIONS) {
    for (const parameterization of ['ntk', 'mean-field', 'standard'] as const) {
      it(`${activation}/${parameterization}: gradient (both layers) matches central differences`, () => {
        const { objective, params } = problem(activation, parameterization, 100 + ACTIVATIONS.indexOf(activation));
        const g = objective.gradient(params);
        const h = 1e-6;
        const fd = new Float64Array(params.length);
        for (let k = 0; k < params.length; k++) {
          const p = params.slice();
          p[k] = params[k]! + h;
          const up = objective.value(p);
          p[k] = params[k]! - h;
          fd[k] = (up - objective.value(p)) / (2 * h);
        }
        const scale = Math.max(1, ...Array.from(g, Math.abs));
        expect(maxAbsDiff(g.subarray(0, 20), fd.subarray(0, 20)) / scale).toBeLessThan(1e-6); // W block
        expect(maxAbsDiff(g.subarray(20), fd.subarray(20)) / scale).toBeLessThan(1e-6); // a block
        expect(norm(g.subarray(0, 20))).toBeGreaterThan(0);
        expect(norm(g.subarray(20))).toBeGreaterThan(0);
      });
    }

    // (∇L(θ + hv) − ∇L(θ − hv))/(2h) with h = 1e-5: bound ‖FD − Hv‖ ≤ 1e-6 · max(1, ‖Hv‖).
    it(`${activation}: Hessian-vector product matches central differences of the gradient`, () => {
      const { objective, params, direction } = problem(activation, 'ntk', 200 + ACTIVATIONS.indexOf(activation));
      const hv = objective.hessianVectorProduct(params, direction);
      const h = 1e-5;
      const plus = params.map((v, k) => v + h * direction[k]!);
      const minus = params.map((v, k) => v - h * direction[k]!);
      const gp = objective.gradient(plus);
      const gm = objective.gradient(minus);
      const fd = gp.map((v, k) => (v - gm[k]!) / (2 * h));
      expect(norm(fd.map((v, k) => v - hv[k]!)) / Math.max(1, norm(hv))).toBeLessThan(1e-6);
      // Each layer separately: directions confined to one block.
      for (const [lo, hi] of [[0, 20], [20, 25]] as const) {
        const u = new Float64Array(params.length);
        u.set(direction.subarray(lo, hi), lo);
        const hu = objective.hessianVectorProduct(params, u);
        const gpu = objective.gradient(params.map((v, k) => v + h * u[k]!));
        const gmu = objective.gradient(params.map((v, k) => v - h * u[k]!));
        const fdu = gpu.map((v, k) => (v - gmu[k]!) / (2 * h));
        expect(norm(fdu.map((v, k) => v - hu[k]!)) / Math.max(1, norm(hu))).toBeLessThan(1e-6);
      }
    });

    it(`${activation}: the dense Hessian is symmetric and its columns are Hessian-vector products (1e-12 relative)`, () => {
      const { objective, params } = problem(activation, 'mean-field', 300 + ACTIVATIONS.indexOf(activation), 17, 3, 4);
      const h = objective.hessian(params);
      const p = params.length;
      let scale = 0;
      for (const v of h.data) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) expect(h.data[i * p + j]).toBe(h.data[j * p + i]);
      for (let k = 0; k < p; k++) {
        const e = new Float64Array(p);
        e[k] = 1;
        const col = objective.hessianVectorProduct(params, e);
        for (let i = 0; i < p; i++) expect(Math.abs(col[i]! - h.data[i * p + k]!)).toBeLessThanOrEqual(1e-12 * scale);
      }
    });
  }

  it('freeze zeroes the frozen block of the gradient, Hessian-vector product and Hessian', () => {
    const rng = createRng(7);
    const x = gaussianMatrix(19, 3, rng);
    const y = rng.fillNormal(new Float64Array(19));
    const opts = { width: 4, activation: 'tanh', parameterization: 'ntk' } as const;
    const full = new TwoLayerEmpiricalRisk(x, y, opts);
    const hidden = new TwoLayerEmpiricalRisk(x, y, { ...opts, freeze: 'hidden' });
    const output = new TwoLayerEmpiricalRisk(x, y, { ...opts, freeze: 'output' });
    const params = rng.fillNormal(new Float64Array(16));
    const u = rng.fillNormal(new Float64Array(16));
    const g = full.gradient(params);
    const gh = hidden.gradient(params);
    const go = output.gradient(params);
    expect(Array.from(gh.subarray(0, 12))).toEqual(new Array(12).fill(0));
    expect(Array.from(gh.subarray(12))).toEqual(Array.from(g.subarray(12)));
    expect(Array.from(go.subarray(12))).toEqual(new Array(4).fill(0));
    expect(Array.from(go.subarray(0, 12))).toEqual(Array.from(g.subarray(0, 12)));
    expect(hidden.value(params)).toBe(full.value(params));
    // HVP of the restricted objective: P H P u with P the projection onto the trainable block.
    const H = full.hessian(params);
    const hh = hidden.hessianVectorProduct(params, u);
    const ho = output.hessianVectorProduct(params, u);
    for (let i = 0; i < 16; i++) {
      let sh = 0;
      let so = 0;
      for (let j = 0; j < 16; j++) {
        if (i >= 12 && j >= 12) sh += H.data[i * 16 + j]! * u[j]!;
        if (i < 12 && j < 12) so += H.data[i * 16 + j]! * u[j]!;
      }
      expect(Math.abs(hh[i]! - sh)).toBeLessThan(1e-12 * 100);
      expect(Math.abs(ho[i]! - so)).toBeLessThan(1e-12 * 100);
    }
    const Hh = hidden.hessian(params);
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        const expected = i >= 12 && j >= 12 ? H.data[i * 16 + j] : 0;
        expect(Hh.data[i * 16 + j]).toBe(expected);
      }
    }
  });

  it('matches the numpy fixture for ReLU risks and gradients (rel 1e-12)', () => {
    interface Case {
      n: number; d: number; m: number; parameterization: Parameterization;
      x: number[][]; y: number[]; w: number[][]; a: number[]; risk: number; gradW: number[][]; gradA: number[];
    }
    const fixture = loadFixture<{ empirical: Case[] }>(import.meta.url, 'fixtures/two-layer.json');
    expect(fixture.empirical.length).toBe(4);
    for (const c of fixture.empirical) {
      const objective = new TwoLayerEmpiricalRisk(Matrix.from(c.x), Float64Array.from(c.y), { width: c.m, activation: 'relu', parameterization: c.parameterization });
      const w = Matrix.from(c.w);
      const a = Float64Array.from(c.a);
      expectClose(objective.risk(w, a), c.risk, { rel: 1e-12 }, 'risk');
      const g = objective.gradients(w, a);
      const expected = Float64Array.from([...c.gradW.flat(), ...c.gradA]);
      const actual = Float64Array.from([...g.w.data, ...g.a]);
      const scale = Math.max(...Array.from(expected, Math.abs));
      expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(1e-12 * scale);
    }
  });

  it('gives the same results on the wasm-simd backend and across row chunks (rel 1e-12)', () => {
    const rng = createRng(99);
    const n = 3000; // several row chunks at m = 40 (1638 rows each)
    const x = gaussianMatrix(n, 6, rng);
    const y = rng.fillNormal(new Float64Array(n));
    const opts = { width: 40, activation: 'relu', parameterization: 'ntk' } as const;
    const ref = new TwoLayerEmpiricalRisk(x, y, opts);
    const backend = createWasmSimdBackend({ minWork: 0 });
    expect(backend).not.toBeNull(); // Node ≥ 20 has WebAssembly SIMD
    const wasm = new TwoLayerEmpiricalRisk(x, y, { ...opts, backend: backend! });
    const params = rng.fillNormal(new Float64Array(280));
    const g1 = new Float64Array(280);
    const g2 = new Float64Array(280);
    expectClose(wasm.valueAndGradient(params, g2), ref.valueAndGradient(params, g1), { rel: 1e-12 });
    expect(maxAbsDiff(g1, g2)).toBeLessThan(1e-12 * Math.max(...Array.from(g1, Math.abs)));
    // The same gradient computed sample by sample.
    const { w, a } = ref.unpack(params);
    const s = 1 / Math.sqrt(40);
    const gd = new Float64Array(280);
    for (let i = 0; i < n; i++) {
      const z = new Float64Array(40);
      let f = 0;
      for (let r = 0; r < 40; r++) {
        for (let k = 0; k < 6; k++) z[r]! += w.data[r * 6 + k]! * x.data[i * 6 + k]!;
        f += a[r]! * Math.max(z[r]!, 0);
      }
      const e = s * f - y[i]!;
      for (let r = 0; r < 40; r++) {
        gd[240 + r]! += ((2 * s) / n) * e * Math.max(z[r]!, 0);
        if (z[r]! > 0) for (let k = 0; k < 6; k++) gd[r * 6 + k]! += ((2 * s) / n) * e * a[r]! * x.data[i * 6 + k]!;
      }
    }
    expect(maxAbsDiff(g1, gd)).toBeLessThan(1e-12 * Math.max(...Array.from(gd, Math.abs)));
  });

  it('caches the last point and handles aliased outputs', () => {
    const { objective, params, direction } = problem('softplus', 'standard', 5);
    const v = objective.value(params);
    const g = objective.gradient(params);
    const alias = params.slice();
    expect(objective.valueAndGradient(alias, alias)).toBe(v);
    expect(Array.from(alias)).toEqual(Array.from(g));
    const hv = objective.hessianVectorProduct(params, direction);
    const d2 = direction.slice();
    objective.hessianVectorProduct(params, d2, d2);
    expect(Array.from(d2)).toEqual(Array.from(hv));
    // A different point is not answered from the cache.
    const p2 = params.slice();
    p2[0]! += 0.5;
    expect(objective.value(p2)).not.toBe(v);
  });

  it('validates its arguments, naming them', () => {
    const x = Matrix.from([[1, 2], [3, 4]]);
    const y = Float64Array.of(1, 2);
    const ok = { width: 2, activation: 'relu', parameterization: 'ntk' } as const;
    expect(() => new TwoLayerEmpiricalRisk(new Matrix(0, 2), new Float64Array(0), ok)).toThrow(InvalidArgumentError);
    expect(() => new TwoLayerEmpiricalRisk(x, Float64Array.of(1), ok)).toThrow(ShapeError);
    expect(() => new TwoLayerEmpiricalRisk(x, Float64Array.of(1, Number.NaN), ok)).toThrow(NonFiniteError);
    expect(() => new TwoLayerEmpiricalRisk(Matrix.from([[1, Number.POSITIVE_INFINITY], [0, 0]]), y, ok)).toThrow(NonFiniteError);
    expect(() => new TwoLayerEmpiricalRisk(x, y, { ...ok, activation: 'gelu' as never })).toThrow(/options\.activation/);
    expect(() => new TwoLayerEmpiricalRisk(x, y, { ...ok, parameterization: 'xavier' as never })).toThrow(/options\.parameterization/);
    expect(() => new TwoLayerEmpiricalRisk(x, y, { ...ok, freeze: 'both' as never })).toThrow(/options\.freeze/);
    expect(() => new TwoLayerEmpiricalRisk(x, y, { ...ok, width: 0 })).toThrow(/options\.width/);
    const objective = new TwoLayerEmpiricalRisk(x, y, ok);
    expect(() => objective.value(new Float64Array(5))).toThrow(ShapeError);
    expect(() => objective.gradient([1, 2] as never)).toThrow(InvalidArgumentError);
    expect(() => objective.risk(Matrix.from([[1, 2]]), Float64Array.of(1, 1))).toThrow(ShapeError);
    expect(() => objective.risk(Matrix.from([[1, 2], [1, 1]]), Float64Array.of(1))).toThrow(ShapeError);
    expect(() => objective.risk(Matrix.from([[1, 2], [1, 1]]), Float64Array.of(1, Number.NaN))).toThrow(NonFiniteError);
    expect(objective.blocks).toEqual([{ name: 'W', size: 4 }, { name: 'a', size: 2 }]);
  });
});
