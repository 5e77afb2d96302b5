/**
 * Machinery behind `import-graph.test.ts`: reads the import specifiers of a TypeScript source with
 * the compiler API, resolves them to files of the repository or to workspace packages, and finds
 * cycles (strongly connected components, each with one concrete cycle through it).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import of a source file. */
export interface ImportEdge {
  /** The specifier as written (`'./matrix'`, `'@shallowscape/linalg'`). */
  specifier: string;
  /** True when the import can only bring in types (`import type`, `export type … from`, `import('x').T` in a type, or every named binding marked `type`). */
  typeOnly: boolean;
  /** 1-based line of the import. */
  line: number;
}

/** Whether every binding of an import/export clause is `type`-marked (so nothing is imported at run time). */
function allBindingsTypeOnly(elements: ts.NodeArray<ts.ImportSpecifier> | ts.NodeArray<ts.ExportSpecifier>): boolean {
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/**
 * The module specifiers `sourceText` imports: `import … from`, `import 'x'`, `export … from`,
 * `import x = require('x')`, `import('x')`, `require('x')` and `import('x')` types. Type-only imports
 * are included and flagged.
 */
export function readImports(sourceText: string, fileName = 'source.ts'): ImportEdge[] {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (literal: ts.Node, typeOnly: boolean): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    const { line } = source.getLineAndCharacterOfPosition(literal.getStart(source));
    edges.push({ specifier: literal.text, typeOnly, line: line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && allBindingsTypeOnly(bindings.elements)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const clause = node.exportClause;
      const typeOnly = node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && allBindingsTypeOnly(clause.elements));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) add(node.arguments[0]!, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts'];

/** TypeScript sources under `dir` (recursively, `node_modules` and `dist` skipped), sorted. */
export function sourceFilesUnder(dir: string, include: (path: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (SOURCE_EXTENSIONS.some((e) => entry.name.endsWith(e)) && include(path)) out.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * Resolves a relative specifier written in `fromFile` to a source file, as the bundler would:
 * the path itself, with a TypeScript extension added, a `.js`/`.mjs`/`.cjs` extension replaced by
 * its TypeScript counterpart, or `index.ts` of a directory. `undefined` when nothing matches.
 */
export function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base];
  const jsExtension = /\.(m|c)?js$/.exec(base);
  if (jsExtension !== null) {
    const stem = base.slice(0, -jsExtension[0].length);
    const ts = jsExtension[1] === 'm' ? '.mts' : jsExtension[1] === 'c' ? '.cts' : '.ts';
    candidates.push(stem + ts, `${stem}.tsx`, `${stem}.d.ts`);
  }
  for (const e of ['.ts', '.tsx', '.mts', '.cts', '.d.ts']) candidates.push(base + e);
  for (const e of ['index.ts', 'index.tsx', 'index.mts']) candidates.push(join(base, e));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** A directed graph by adjacency: node → the nodes it points to (with whether every edge is type-only). */
export type Graph = Map<string, Map<string, { typeOnly: boolean }>>;

/** Adds the edge `from → to` (an edge is type-only only if every import behind it is). */
export function addEdge(graph: Graph, from: string, to: string, typeOnly: boolean): void {
  if (!graph.has(from)) graph.set(from, new Map());
  if (!graph.has(to)) graph.set(to, new Map());
  const edges = graph.get(from)!;
  const previous = edges.get(to);
  edges.set(to, { typeOnly: previous === undefined ? typeOnly : previous.typeOnly && typeOnly });
}

/** Strongly connected components (Tarjan), each sorted, in a deterministic order. */
export function stronglyConnectedComponents(graph: Graph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const nodes = [...graph.keys()].sort();
  // Iterative Tarjan: no recursion limit on long import chains.
  for (const start of nodes) {
    if (indices.has(start)) continue;
    const work: Array<{ node: string; next: string[]; i: number }> = [];
    const open = (node: string): void => {
      indices.set(node, index);
      lowlink.set(node, index);
      index++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: [...(graph.get(node)?.keys() ?? [])].sort(), i: 0 });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.next.length) {
        const to = frame.next[frame.i++]!;
        if (!indices.has(to)) open(to);
        else if (onStack.has(to)) lowlink.set(frame.node, Math.min(lowlink.get(frame.node)!, indices.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) lowlink.set(parent.node, Math.min(lowlink.get(parent.node)!, lowlink.get(frame.node)!));
      if (lowlink.get(frame.node) === indices.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** One import cycle: its nodes in order (the first repeated at the end) and its type-only edges. */
export interface Cycle {
  /** Every node of the strongly connected component the cycle lies in. */
  component: string[];
  /** A shortest cycle through the component's first node: `a → b → … → a`. */
  path: string[];
  /** The edges of `path` that are type-only, as `from → to`. */
  typeOnlyEdges: string[];
}

/**
 * The cycles of `graph`: one per strongly connected component with more than one node or a
 * self-edge, with a shortest cycle through the component's first node (breadth-first search
 * inside the component).
 */
export function findCycles(graph: Graph): Cycle[] {
  const cycles: Cycle[] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const start = component[0]!;
    const selfLoop = graph.get(start)?.has(start) === true;
    if (component.length === 1 && !selfLoop) continue;
    const inside = new Set(component);
    const previous = new Map<string, string>();
    const queue = [start];
    let found: string | undefined = selfLoop ? start : undefined;
    while (found === undefined && queue.length > 0) {
      const node = queue.shift()!;
      for (const to of [...(graph.get(node)?.keys() ?? [])].sort()) {
        if (!inside.has(to)) continue;
        if (to === start) {
          found = node;
          break;
        }
        if (!previous.has(to)) {
          previous.set(to, node);
          queue.push(to);
        }
      }
    }
    const path = [start];
    if (found !== undefined && found !== start) {
      const back: string[] = [];
      for (let n: string | undefined = found; n !== undefined && n !== start; n = previous.get(n)) back.push(n);
      path.push(...back.reverse());
    }
    path.push(start);
    const typeOnlyEdges: string[] = [];
    for (let i = 0; i + 1 < path.length; i++) {
      if (graph.get(path[i]!)?.get(path[i + 1]!)?.typeOnly === true) typeOnlyEdges.push(`${path[i]} → ${path[i + 1]}`);
    }
    cycles.push({ component, path, typeOnlyEdges });
  }
  return cycles;
}

/** Describes a cycle in one line, with paths relative to `base` and type-only edges marked. */
export function describeCycle(cycle: Cycle, base: string): string {
  const name = (path: string): string => relative(base, path).split('\\').join('/') || path;
  const steps = cycle.path.map(name);
  let text = steps.join(' → ');
  if (cycle.typeOnlyEdges.length > 0) text += ` (type-only: ${cycle.typeOnlyEdges.map((e) => e.split(' → ').map(name).join(' → ')).join(', ')})`;
  if (cycle.component.length > cycle.path.length - 1) {
    text += `; the whole strongly connected set (${cycle.component.length} files): ${cycle.component.map(name).join(', ')}`;
  }
  return text;
}

/** The workspace package name a specifier names (`@shallowscape/linalg/x` → `@shallowscape/linalg`), or `undefined`. */
export function workspacePackageOf(specifier: string, scope = '@shallowscape/'): string | undefined {
  if (!specifier.startsWith(scope)) return undefined;
  const rest = specifier.slice(scope.length);
  const name = rest.split('/')[0];
  return name === undefined || name === '' ? undefined : scope + name;
}

/** Reads `path` as UTF-8. */
export function readSource(path: string): string {
  return readFileSync(path, 'utf8');
}
