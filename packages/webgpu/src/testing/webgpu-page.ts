/**
 * Test support: this package bundled for the browser and loaded into a page of Debian's headless
 * chromium with WebGPU enabled (SwiftShader's adapter on a machine without a GPU), with the
 * kernels created in the page as `window.kernels` and the backend over them as `window.backend`;
 * `window.webgpu` is the package's exports and linalg's `Matrix`.
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@shallowscape/test-utils';
import type { AdapterDescription } from '../webgpu-kernels';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** A page with the kernels ready, and how to close it. */
export interface WebGpuPage {
  page: Page;
  adapter: AdapterDescription;
  close(): Promise<void>;
}

/**
 * Bundles the package, serves it on 127.0.0.1 and opens it in chromium with `--enable-unsafe-webgpu`.
 *
 * @returns the page, once `window.kernels` and `window.backend` exist.
 */
export async function openWebGpuPage(): Promise<WebGpuPage> {
  const bundle = await build({
    // The package, and linalg's Matrix for tests that build matrices in the page.
    stdin: { contents: `export * from ${JSON.stringify(src('../index.ts'))};\nexport { Matrix } from '@shallowscape/linalg';\n`, resolveDir: src('.'), loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    target: 'es2022',
    alias: Object.fromEntries(['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments'].map((p) => [`@shallowscape/${p}`, src(`../../../${p}/src/index.ts`)])),
  });
  const script = bundle.outputFiles[0]!.text;
  const html = '<!DOCTYPE html><meta charset="utf-8"><title>webgpu</title><script type="module">import * as m from "/webgpu.js"; window.webgpu = m; window.ready = true;</script>';
  const server: Server = createServer((request, response) => {
    if (request.url === '/webgpu.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
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
    const adapter = await page.evaluate(async () => {
      const w = window as unknown as { webgpu: typeof import('../index'); kernels: unknown; backend: unknown };
      const kernels = await w.webgpu.WebGpuKernels.create(navigator.gpu);
      w.kernels = kernels;
      w.backend = w.webgpu.webgpuBackend(kernels);
      return kernels.adapter;
    });
    const opened = browser;
    return {
      page,
      adapter,
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
