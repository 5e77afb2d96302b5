import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, InvalidArgumentError, Matrix, NonFiniteError, ShapeError } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { ACTIVATIONS, activationFunctions } from './activations';
import { TwoLayerNet, parameterizationScale } from './two-layer-net';
import { relativeMovement } from './relative-movement';

describe('TwoLayerNet', () => {
  it('predicts s Σ a_r σ(w_r·x) for every activation and parameterisation (rel 1e-13)', () => {
    const rng = createRng(2);
    const w = gaussianMatrix(6, 3, rng);
    const a = rng.fillNormal(new Float64Array(6));
    const x = gaussianMatrix(9, 3, rng);
    for (const activation of ACTIVATIONS) {
      for (const parameterization of ['ntk', 'mean-field', 'standard'] as const) {
        const net = new TwoLayerNet(w, a, { activation, parameterization });
        const s = { ntk: 1 / Math.sqrt(6), 'mean-field': 1 / 6, standard: 1 }[parameterization];
        expect(net.scale).toBe(s);
        const f = net.predict(x);
        const sigma = activationFunctions(activation).value;
        for (let i = 0; i < 9; i++) {
          let expected = 0;
          for (let r = 0; r < 6; r++) {
            let z = 0;
            for (let k = 0; k < 3; k++) z += w.data[r * 3 + k]! * x.data[i * 3 + k]!;
            expected += a[r]! * sigma(z);
          }
          expectClose(f[i]!, s * expected, { rel: 1e-13, abs: 1e-15 });
        }
      }
    }
  });

  it('copies its weights and validates its arguments', () => {
    const w = Matrix.from([[1, 2]]);
    const a = Float64Array.of(3);
    const net = new TwoLayerNet(w, a, { activation: 'tanh', parameterization: 'standard' });
    w.data[0] = 9;
    a[0] = 9;
    expect(net.weights.toArray()).toEqual([[1, 2]]);
    expect(Array.from(net.outputWeights)).toEqual([3]);
    expect(net.predict(new Matrix(0, 2)).length).toBe(0);
    expect(() => net.predict(Matrix.from([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => new TwoLayerNet(w, Float64Array.of(1, 2), { activation: 'relu', parameterization: 'ntk' })).toThrow(ShapeError);
    expect(() => new TwoLayerNet(w, Float64Array.of(Number.NaN), { activation: 'relu', parameterization: 'ntk' })).toThrow(NonFiniteError);
    expect(() => new TwoLayerNet(w, a, { activation: 'swish' as never, parameterization: 'ntk' })).toThrow(/options\.activation/);
    expect(() => new TwoLayerNet(w, a, { activation: 'relu', parameterization: 'lazy' as never })).toThrow(/options\.parameterization/);
    expect(() => new TwoLayerNet(w, a, undefined as never)).toThrow(InvalidArgumentError);
    expect(() => parameterizationScale('ntk', 0)).toThrow(/width/);
  });
});

describe('relativeMovement', () => {
  it('is ‖current − initial‖/‖initial‖, robust to scale, with 0/0 = 0 and x/0 = ∞', () => {
    expectClose(relativeMovement(Float64Array.of(1, 2, 2), Float64Array.of(1, 0, 0)), Math.sqrt(8), { rel: 1e-15 });
    expectClose(relativeMovement(Float64Array.of(3e200, 4e200), Float64Array.of(0, 1e200)), Math.sqrt(9 + 9), { rel: 1e-15 });
    expectClose(relativeMovement(Float64Array.of(3e-200, 4e-200), Float64Array.of(0, 1e-200)), Math.sqrt(18), { rel: 1e-15 });
    expect(relativeMovement(new Float64Array(2), new Float64Array(2))).toBe(0);
    expect(relativeMovement(Float64Array.of(1), new Float64Array(1))).toBe(Number.POSITIVE_INFINITY);
    expect(() => relativeMovement(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(ShapeError);
    expect(() => relativeMovement([1] as never, Float64Array.of(1))).toThrow(InvalidArgumentError);
  });
});
