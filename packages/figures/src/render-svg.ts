/**
 * Rendering a figure: a Vega-Lite specification compiled to Vega and drawn as static SVG by
 * Vega's own scenegraph, in Node without a canvas (text widths are Vega's estimates, so the
 * bytes do not depend on the fonts of the machine) and the same way in a browser.
 *
 * Specifications are data: every expression in them (field accessors, filters, the labels of
 * axes) is parsed by Vega into a syntax tree and evaluated by `vega-interpreter`; nothing is
 * compiled with `Function` or `eval`. The same specification and data give the same SVG, byte
 * for byte, so figures can be compared in tests and committed.
 *
 * Vega and Vega-Lite are loaded on the first call, not when this package is imported.
 *
 * @packageDocumentation
 */
import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification of a figure (the top-level object, with its data inline). */
export type FigureSpec = TopLevelSpec;

interface VegaModules {
  vega: typeof import('vega');
  vegaLite: typeof import('vega-lite');
  interpreter: typeof import('vega-interpreter');
}

let modules: Promise<VegaModules> | undefined;

function loadVega(): Promise<VegaModules> {
  modules ??= Promise.all([import('vega'), import('vega-lite'), import('vega-interpreter')]).then(([vega, vegaLite, interpreter]) => ({ vega, vegaLite, interpreter }));
  return modules;
}

/**
 * Compiles a Vega-Lite specification to a Vega specification (what a browser's `vega.View`
 * takes to draw the same figure interactively).
 *
 * @param spec - the figure.
 * @returns the Vega specification.
 * @throws Error from Vega-Lite for a specification it cannot compile.
 *
 * @example
 * ```ts
 * const vg = await compileFigure({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } });
 * Array.isArray(vg.marks); // => true
 * ```
 */
export async function compileFigure(spec: FigureSpec): Promise<import('vega').Spec> {
  const { vegaLite } = await loadVega();
  return vegaLite.compile(spec).spec;
}

/**
 * Draws a figure as a standalone SVG document.
 *
 * The specification is compiled by Vega-Lite, parsed by Vega into syntax trees (`ast: true`)
 * and run by a headless `vega.View` whose expressions are evaluated by `vega-interpreter`. The
 * result depends only on the specification: the same input gives the same bytes.
 *
 * @param spec - the figure, with its data inline (nothing is loaded from a URL).
 * @returns the SVG text, starting with `<svg`.
 * @throws Error from Vega-Lite or Vega for a specification they reject, and for one that
 *   names data by URL.
 *
 * @example
 * ```ts
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
 * svg.startsWith('<svg'); // => true
 * ```
 */
export async function renderSvg(spec: FigureSpec): Promise<string> {
  const { vega, vegaLite, interpreter } = await loadVega();
  const compiled = vegaLite.compile(spec).spec;
  for (const data of compiled.data ?? []) {
    if ('url' in data && data.url !== undefined) throw new Error(`figure data ${JSON.stringify(data.name)} names a URL (${JSON.stringify(data.url)}); figures take their data inline`);
  }
  const runtime = vega.parse(compiled, undefined, { ast: true });
  const view = new vega.View(runtime, { renderer: 'none', expr: interpreter.expressionInterpreter, logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
