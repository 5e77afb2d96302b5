/**
 * Test support: this package bundled for the browser (gpu.js's browser build inside) and loaded
 * into a page of Debian's headless chromium with WebGPU enabled, with the kernels of both gpu.js
 * modes created in the page: `window.kernels.webgl2` / `.webgpu` and the backends over them
 * `window.backends.webgl2` / `.webgpu`.
 */
import { fileURLToPath } from 'node:url';
import { openBundlePage, type BundlePage } from '@shallowscape/test-utils';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** A page with the kernels ready, and how to close it. */
export type GpujsPage = BundlePage;

/**
 * Opens the page and creates the kernels of both modes in it.
 *
 * @returns the page, once the kernels exist.
 */
export async function openGpujsPage(): Promise<GpujsPage> {
  const opened = await openBundlePage({
    contents: `export * from ${JSON.stringify(src('../index.ts'))};\n`,
    resolveDir: src('.'),
    alias: Object.fromEntries(['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments', 'webgpu'].map((p) => [`@shallowscape/${p}`, src(`../../../${p}/src/index.ts`)])),
    globalName: 'gpujs',
  });
  try {
    await opened.page.evaluate(async () => {
      const w = window as unknown as { gpujs: typeof import('../index'); kernels: Record<string, unknown>; backends: Record<string, unknown> };
      w.kernels = {};
      w.backends = {};
      for (const mode of ['webgl2', 'webgpu'] as const) {
        const k = await w.gpujs.GpujsKernels.create(mode);
        w.kernels[mode] = k;
        w.backends[mode] = w.gpujs.gpujsBackend(k);
      }
    });
    return opened;
  } catch (error) {
    await opened.close();
    throw error;
  }
}
