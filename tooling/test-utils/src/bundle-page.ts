/**
 * Test support: a package bundled for the browser by esbuild, served on 127.0.0.1 and loaded into
 * a page of Debian's headless chromium with WebGPU enabled (SwiftShader's adapter on a machine
 * without a GPU), its exports on `window[globalName]`. The GPU packages' browser tests use it.
 *
 * @packageDocumentation
 */
import { createServer, type Server } from 'node:http';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser-checks';

/** What to bundle and where it resolves. */
export interface BundlePageOptions {
  /** The module source: e.g. `export * from "/abs/path/index.ts";`. */
  contents: string;
  /** The directory imports in `contents` resolve from. */
  resolveDir: string;
  /** Package names to source files (workspace packages resolved to their sources). */
  alias: Record<string, string>;
  /** The global the module's exports are assigned to. */
  globalName: string;
}

/** A page with the bundle loaded, and how to close it. */
export interface BundlePage {
  page: Page;
  close(): Promise<void>;
}

/**
 * Bundles, serves and opens the page, and waits until the module has loaded.
 *
 * @param options - the module, its resolution and the global name.
 * @returns the page.
 */
export async function openBundlePage(options: BundlePageOptions): Promise<BundlePage> {
  const bundle = await build({
    stdin: { contents: options.contents, resolveDir: options.resolveDir, loader: 'ts' },
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
    target: 'es2022',
    alias: options.alias,
  });
  const script = bundle.outputFiles[0]!.text;
  const name = JSON.stringify(options.globalName);
  const html = `<!DOCTYPE html><meta charset="utf-8"><title>${options.globalName}</title><script type="module">import * as m from "/bundle.js"; window[${name}] = m; window.ready = true;</script>`;
  const server: Server = createServer((request, response) => {
    if (request.url === '/bundle.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
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
