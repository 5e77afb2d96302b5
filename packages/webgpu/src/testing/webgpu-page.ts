/**
 * Test support: this package bundled for the browser and loaded into a page of Debian's headless
 * chromium with WebGPU enabled (SwiftShader's adapter on a machine without a GPU), with the
 * kernels created in the page as `window.kernels` and the backend over them as `window.backend`;
 * `window.webgpu` is the package's exports and linalg's `Matrix`.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { openBundlePage } from '@shallowscape/test-utils';
import type { AdapterDescription } from '../webgpu-kernels';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** A page with the kernels ready, and how to close it. */
export interface WebGpuPage {
  page: Page;
  adapter: AdapterDescription;
  close(): Promise<void>;
}

/**
 * Opens the page and creates the kernels and the backend in it.
 *
 * @returns the page, once `window.kernels` and `window.backend` exist.
 */
export async function openWebGpuPage(): Promise<WebGpuPage> {
  const opened = await openBundlePage({
    // The package, and linalg's Matrix for tests that build matrices in the page.
    contents: `export * from ${JSON.stringify(src('../index.ts'))};\nexport { Matrix } from '@shallowscape/linalg';\n`,
    resolveDir: src('.'),
    alias: Object.fromEntries(['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments'].map((p) => [`@shallowscape/${p}`, src(`../../../${p}/src/index.ts`)])),
    globalName: 'webgpu',
  });
  try {
    const adapter = await opened.page.evaluate(async () => {
      const w = window as unknown as { webgpu: typeof import('../index'); kernels: unknown; backend: unknown };
      const kernels = await w.webgpu.WebGpuKernels.create(navigator.gpu);
      w.kernels = kernels;
      w.backend = w.webgpu.webgpuBackend(kernels);
      return kernels.adapter;
    });
    return { page: opened.page, adapter, close: opened.close };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
