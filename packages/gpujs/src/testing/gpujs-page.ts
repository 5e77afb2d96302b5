/**
 * Test support: this package bundled for the browser (gpu.js's browser build inside) and loaded
 * into a page of Debian's headless chromium with WebGPU enabled, with the kernels of both gpu.js
 * modes created in the page: `window.kernels.webgl2` / `.webgpu` and the backends over them
 * `window.backends.webgl2` / `.webgpu`.
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@shallowscape/test-utils';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** A page with the kernels ready, and how to close it. */
export interface GpujsPage {
  page: Page;
  close(): Promise<void>;
}

/**
 * Bundles the package, serves it on 127.0.0.1 and opens it in chromium with `--enable-unsafe-webgpu`.
 *
 * @returns the page, once the kernels of both modes exist.
 */
export async function openGpujsPage(): Promise<GpujsPage> {
  const bundle = await build({
    stdin: { contents: `export * from ${JSON.stringify(src('../index.ts'))};\n`, resolveDir: src('.'), loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    target: 'es2022',
    alias: Object.fromEntries(['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments', 'webgpu'].map((p) => [`@shallowscape/${p}`, src(`../../../${p}/src/index.ts`)])),
  });
  const script = bundle.outputFiles[0]!.text;
  const html = '<!DOCTYPE html><meta charset="utf-8"><title>gpujs</title><script type="module">import * as m from "/gpujs.js"; window.gpujs = m; window.ready = true;</script>';
  const server: Server = createServer((request, response) => {
    if (request.url === '/gpujs.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(['--enable-unsafe-webgpu']);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    await page.evaluate(async () => {
      const w = window as unknown as { gpujs: typeof import('../index'); kernels: Record<string, unknown>; backends: Record<string, unknown> };
      w.kernels = {};
      w.backends = {};
      for (const mode of ['webgl2', 'webgpu'] as const) {
        const k = await w.gpujs.GpujsKernels.create(mode);
        w.kernels[mode] = k;
        w.backends[mode] = w.gpujs.gpujsBackend(k);
      }
    });
    const opened = browser;
    return {
      page,
      close: async () => {
        await opened.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    await browser?.close();
    server.close();
    throw error;
  }
}
