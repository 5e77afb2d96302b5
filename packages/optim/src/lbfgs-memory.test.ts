import { describe, expect, it } from 'vitest';
import { createRng, gaussianMatrix, Matrix, type Rng } from '@shallowscape/linalg';
import { expectClose } from '@shallowscape/test-utils';
import { LbfgsMemory } from './lbfgs-memory';
import { matVec, norm } from './testing/test-problems';

/** A random SPD matrix B = GGᵀ/n + I/2, so that y = B s has sᵀy > 0. */
function spd(n: number, rng: Rng): Matrix {
  const g = gaussianMatrix(n, n, rng);
  const b = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < n; k++) s += (g.get(i, k) * g.get(j, k)) / n;
      b.set(i, j, s);
    }
  }
  return b;
}

/**
 * The dense BFGS inverse update, the reference: H₀ = γD with γ = sᵀy/(yᵀDy) of the newest pair,
 * then H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ for each pair from oldest to newest; returns −H g.
 */
function denseDirection(pairs: { s: Float64Array; y: Float64Array }[], eta: Float64Array, g: Float64Array): Float64Array {
  const n = g.length;
  const last = pairs[pairs.length - 1];
  let gamma = 1;
  if (last !== undefined) {
    let sy = 0;
    let yDy = 0;
    for (let k = 0; k < n; k++) {
      sy += last.s[k]! * last.y[k]!;
      yDy += eta[k]! * last.y[k]! ** 2;
    }
    gamma = sy / yDy;
  }
  let h = Matrix.diagonal(Array.from(eta, (e) => gamma * e));
  for (const { s, y } of pairs) {
    let sy = 0;
    for (let k = 0; k < n; k++) sy += s[k]! * y[k]!;
    const rho = 1 / sy;
    const left = Matrix.identity(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) left.set(i, j, left.get(i, j) - rho * s[i]! * y[j]!);
    const next = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let v = rho * s[i]! * s[j]!;
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) v += left.get(i, a) * h.get(a, b) * left.get(j, b);
        next.set(i, j, v);
      }
    }
    h = next;
  }
  return matVec(h, g).map((v) => -v);
}

function trainableRanges(eta: Float64Array): Int32Array {
  const ranges: number[] = [];
  for (let k = 0; k < eta.length; k++) {
    if (eta[k] === 0) continue;
    if (ranges.length > 0 && ranges[ranges.length - 1] === k) ranges[ranges.length - 1] = k + 1;
    else ranges.push(k, k + 1);
  }
  return Int32Array.from(ranges);
}

function randomPairs(count: number, eta: Float64Array, rng: Rng) {
  const n = eta.length;
  const b = spd(n, rng);
  return Array.from({ length: count }, () => {
    // s lives on the trainable coordinates; y = B s (plus noise on frozen ones, which must not matter).
    const s = rng.fillNormal(new Float64Array(n)).map((v, k) => (eta[k] === 0 ? 0 : v));
    const y = matVec(b, s).map((v, k) => (eta[k] === 0 ? rng.normal() : v));
    return { s, y };
  });
}

function pushAll(memory: LbfgsMemory, pairs: { s: Float64Array; y: Float64Array }[]): void {
  for (const { s, y } of pairs) {
    memory.nextS.set(s);
    memory.nextY.set(y);
    expect(memory.push()).toBe(true);
  }
}

describe('LbfgsMemory two-loop recursion', () => {
  it('equals the dense BFGS inverse update from H₀ = γI (4 pairs, memory 10): relative error ≤ 1e-12', () => {
    const rng = createRng(11);
    const eta = new Float64Array(6).fill(1);
    const pairs = randomPairs(4, eta, rng);
    const memory = new LbfgsMemory(6, 10, eta, trainableRanges(eta));
    pushAll(memory, pairs);
    expect(memory.count).toBe(4);
    const g = rng.fillNormal(new Float64Array(6));
    const p = new Float64Array(6);
    memory.direction(g, p);
    const expected = denseDirection(pairs, eta, g);
    expectClose(p, expected, { abs: 1e-12 * norm(expected) });
    // −Hg is a descent direction (H is positive definite).
    expect(p.reduce((s, v, k) => s + v * g[k]!, 0)).toBeLessThan(0);
  });

  it('keeps only the last m pairs (7 pairs into memory 3) with a diagonal preconditioner D', () => {
    const rng = createRng(12);
    const eta = Float64Array.of(0.5, 0.5, 0.5, 2, 2, 2, 2);
    const pairs = randomPairs(7, eta, rng);
    const memory = new LbfgsMemory(7, 3, eta, trainableRanges(eta));
    pushAll(memory, pairs);
    expect(memory.count).toBe(3);
    const g = rng.fillNormal(new Float64Array(7));
    const p = new Float64Array(7);
    memory.direction(g, p);
    const expected = denseDirection(pairs.slice(4), eta, g);
    expectClose(p, expected, { abs: 1e-12 * norm(expected) });
  });

  it('is plain L-BFGS in the variables z = D^(-1/2) x: H = D^(1/2) H_z D^(1/2)', () => {
    const rng = createRng(13);
    const eta = Float64Array.of(0.25, 0.25, 4, 4, 9);
    const pairs = randomPairs(3, eta, rng);
    const memory = new LbfgsMemory(5, 5, eta, trainableRanges(eta));
    pushAll(memory, pairs);
    const ones = new Float64Array(5).fill(1);
    const zMemory = new LbfgsMemory(5, 5, ones, trainableRanges(ones));
    pushAll(
      zMemory,
      pairs.map(({ s, y }) => ({ s: s.map((v, k) => v / Math.sqrt(eta[k]!)), y: y.map((v, k) => v * Math.sqrt(eta[k]!)) })),
    );
    const g = rng.fillNormal(new Float64Array(5));
    const p = new Float64Array(5);
    const pz = new Float64Array(5);
    memory.direction(g, p);
    zMemory.direction(
      g.map((v, k) => v * Math.sqrt(eta[k]!)),
      pz,
    );
    const expected = pz.map((v, k) => v * Math.sqrt(eta[k]!));
    expectClose(p, expected, { abs: 1e-12 * norm(expected) });
  });

  it('never writes frozen coordinates (η = 0), whatever y holds there', () => {
    const rng = createRng(14);
    const eta = Float64Array.of(1, 1, 0, 0, 3);
    const pairs = randomPairs(3, eta, rng);
    const memory = new LbfgsMemory(5, 4, eta, trainableRanges(eta));
    pushAll(memory, pairs);
    const g = rng.fillNormal(new Float64Array(5));
    const p = new Float64Array(5).fill(7);
    memory.direction(g, p);
    expect([p[2], p[3]]).toEqual([7, 7]);
    const expected = denseDirection(pairs, eta, g);
    expectClose([p[0]!, p[1]!, p[4]!], [expected[0]!, expected[1]!, expected[4]!], { abs: 1e-12 * norm(expected) });
  });

  it('skips pairs whose curvature sᵀy is not above ε‖D^(-1/2)s‖‖D^(1/2)y‖, and reset() returns to −Dg', () => {
    const eta = Float64Array.of(1, 2);
    const memory = new LbfgsMemory(2, 5, eta, trainableRanges(eta));
    const tryPush = (s: number[], y: number[]): boolean => {
      memory.nextS.set(s);
      memory.nextY.set(y);
      return memory.push();
    };
    expect(tryPush([1, 0], [-1, 0])).toBe(false); // negative curvature
    expect(tryPush([1, 0], [0, 1])).toBe(false); // sᵀy = 0
    expect(tryPush([1, 0], [1e-11, 1])).toBe(false); // sᵀy = 1e-11 ≤ 1e-10 · 1 · √2
    expect(memory.count).toBe(0);
    expect(tryPush([1, 0], [1e-9, 1])).toBe(true);
    expect(memory.count).toBe(1);
    memory.reset();
    expect(memory.count).toBe(0);
    const p = new Float64Array(2);
    memory.direction(Float64Array.of(3, -1), p);
    expect(Array.from(p)).toEqual([-3, 2]);
  });
});
