/**
 * The modules of the package import one another without cycles at run time (type-only imports
 * aside): the backend registry, the reference backend and the decompositions initialise in one
 * order, eagerly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = dirname(fileURLToPath(import.meta.url));

/** The run-time (value) imports and re-exports of a module, as paths relative to `src`. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(srcDir, file), 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly === true) continue;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined && clause.name === undefined && named !== undefined && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly);
      if (onlyTypes) continue;
      specifier = statement.moduleSpecifier;
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      const named = statement.exportClause;
      if (named !== undefined && ts.isNamedExports(named) && named.elements.every((e) => e.isTypeOnly)) continue;
      specifier = statement.moduleSpecifier;
    }
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    out.push(relative(srcDir, join(srcDir, dirname(file), `${specifier.text}.ts`)).split('\\').join('/'));
  }
  return out;
}

/** The first cycle found by depth-first search, as the list of modules along it, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle !== null) return cycle;
      }
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.get(node) === undefined) {
      const cycle = visit(node);
      if (cycle !== null) return cycle;
    }
  }
  return null;
}

describe('module graph of @shallowscape/linalg', () => {
  const files = (readdirSync(srcDir, { recursive: true }) as string[])
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .sort();
  const graph = new Map(files.map((f) => [f, valueImports(f)]));

  it('has no run-time import cycle', () => {
    expect(findCycle(graph)).toBeNull();
  });

  it('the cycle search finds a planted cycle (the test can fail)', () => {
    const planted = new Map(graph);
    planted.set('decompositions/eigh-kernel.ts', [...(graph.get('decompositions/eigh-kernel.ts') ?? []), 'backend.ts']);
    const cycle = findCycle(planted);
    expect(new Set(cycle)).toEqual(new Set(['backend.ts', 'backends/reference.ts', 'decompositions/eigh-kernel.ts']));
  });

  it('reads the value imports of a module (backend.ts imports the reference backend)', () => {
    expect(graph.get('backend.ts')).toContain('backends/reference.ts');
    expect(graph.get('backends/reference.ts')).not.toContain('backend.ts'); // a type-only import
  });
});
