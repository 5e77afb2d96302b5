/**
 * The backend conformance suite of `@shallowscape/linalg` on the `webgpu` backend, running in
 * headless chromium (SwiftShader WebGPU): the suite runs in Node and each asynchronous product
 * (`gemmAsync`, `syrkAsync`, `weightedGramAsync`) is a call into the page, on the real backend
 * object there. The float32 tolerances of the suite apply (u = 2⁻²⁴).
 */
import { afterAll, beforeAll } from 'vitest';
import type { LinalgBackend } from '@shallowscape/linalg';
import { describeBackendConformance } from '../../linalg/src/testing/backend-conformance';
import { openWebGpuPage, type WebGpuPage } from './testing/webgpu-page';

let opened: WebGpuPage;
beforeAll(async () => {
  opened = await openWebGpuPage();
}, 120_000);
afterAll(async () => {
  await opened?.close();
});

type Slot = 'gemmAsync' | 'syrkAsync' | 'weightedGramAsync';

/** Calls `window.backend[slot]` in the page; arrays travel as plain arrays; the last array argument is the output. */
async function inPage(slot: Slot, args: unknown[]): Promise<void> {
  const wire = args.map((a) => (a instanceof Float64Array ? { f64: Array.from(a) } : a));
  const out = await opened.page.evaluate(
    async ({ slot, wire }) => {
      const backend = (window as unknown as { backend: Record<string, (...a: unknown[]) => Promise<void>> }).backend;
      const decoded = wire.map((a) => (a !== null && typeof a === 'object' && 'f64' in (a as object) ? Float64Array.from((a as { f64: number[] }).f64) : a));
      await backend[slot]!(...decoded);
      return Array.from(decoded[decoded.length - 1] as Float64Array);
    },
    { slot, wire },
  );
  (args[args.length - 1] as Float64Array).set(out);
}

const proxy: LinalgBackend = {
  name: 'webgpu',
  precision: 'float32',
  description: 'the webgpu backend in headless chromium (SwiftShader)',
  gemmAsync: (...args) => inPage('gemmAsync', args),
  syrkAsync: (...args) => inPage('syrkAsync', args),
  weightedGramAsync: (...args) => inPage('weightedGramAsync', args),
};

describeBackendConformance(proxy);
