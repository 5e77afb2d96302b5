/**
 * KaTeX's stylesheet with its fonts inside it, for pages that must work offline from one file: the
 * `url(fonts/…)` sources of every `@font-face` rule are replaced by the WOFF2 font as a `data:` URL
 * (every browser that runs KaTeX reads WOFF2; the WOFF and TrueType fallbacks are dropped).
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The directory of KaTeX's distribution files (`katex.min.css`, `fonts/`).
 *
 * @returns its absolute path, resolved from the installed `katex` package.
 */
export function katexDistDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));
}

/**
 * KaTeX's minified stylesheet with every font inlined as a WOFF2 `data:` URL.
 *
 * @returns the CSS text (read once, then cached).
 * @throws Error when a `@font-face` rule has no WOFF2 source (a KaTeX release this does not know).
 *
 * @example
 * ```ts
 * const css = katexStyles();
 * [css.includes('url(fonts/'), css.includes('data:font/woff2;base64,')]; // => [false, true]
 * ```
 */
export function katexStyles(): string {
  if (cached !== undefined) return cached;
  const dist = katexDistDirectory();
  const css = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  const fonts = new Map<string, string>();
  const inlined = css.replace(/src:([^;}]*)/g, (_whole, sources: string) => {
    const woff2 = /url\((?:"|')?(fonts\/[^)"']+\.woff2)(?:"|')?\)/.exec(sources);
    if (woff2 === null) throw new Error(`KaTeX's stylesheet has a font without a WOFF2 source: ${sources.slice(0, 80)}`);
    const path = woff2[1]!;
    let data = fonts.get(path);
    if (data === undefined) {
      data = readFileSync(join(dist, path)).toString('base64');
      fonts.set(path, data);
    }
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  cached = inlined;
  return inlined;
}
