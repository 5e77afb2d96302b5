/**
 * Importing the package offers the native backend as the library's automatic default: in this file
 * (its own module state) nothing has decided the default before the import below, so `getBackend()`
 * is the native backend where the addon loads, and `wasm-simd` where it does not. On CI the addon
 * must load (see native-backend.test.ts), so there the default must be native.
 */
import { describe, expect, it } from 'vitest';
import { eigvalsh, getBackend, listBackends, Matrix } from '@shallowscape/linalg';
import { loadNativeBackend } from './index';

const onCi = (process.env.CI ?? '') !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

describe('the default backend of a program that imports @shallowscape/linalg-native', () => {
  it('is the native backend where its addon loads (always on CI), registered, and runs the wrappers', () => {
    const load = loadNativeBackend();
    if (onCi && !load.available) expect.fail(`the native addon must load on CI: ${load.reason}`);
    const backend = getBackend();
    if (load.available) {
      expect(backend).toBe(load.backend);
      expect(backend.name).toBe('native');
      expect(listBackends().find((b) => b.isDefault)?.name).toBe('native');
    } else {
      expect(backend.name).toBe('wasm-simd');
    }
    // The closed form of a 2 × 2 symmetric matrix through the default backend's eigh.
    const values = eigvalsh(Matrix.from([[2, 1], [1, 2]]));
    expect(Math.abs(values[0]! - 1)).toBeLessThanOrEqual(8 * Number.EPSILON);
    expect(Math.abs(values[1]! - 3)).toBeLessThanOrEqual(8 * Number.EPSILON);
  });
});
