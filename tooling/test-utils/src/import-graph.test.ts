/**
 * The import graph of the workspace: no import cycles inside any package or app, and every
 * import between packages points the documented way,
 *
 *     linalg ← model, optim, rmt ← certificates ← experiments ← figures ← cli, docs
 *
 * (`model` and `optim` do not import each other, `rmt` imports only `linalg`, the docs may import
 * anything). The allowed imports of each package are the one table {@link ALLOWED} below.
 *
 * - Packages and apps are discovered on disk (`packages/*` and `apps/*` with a `package.json`;
 *   `tooling/` is not part of the graph). A package missing from the table fails the test: place a
 *   new package in the table before it can land.
 * - Sources are every TypeScript file under `src/`, tests included; imports are read with the
 *   TypeScript compiler API, not regular expressions: `import`, `export … from`, `import x =
 *   require()`, `import()`, `require()` and `import('…')` types. Test code (`*.test.ts` and the
 *   test-support modules under `src/testing/`, which the package index does not export) may in
 *   addition import the private `@shallowscape/test-utils`; otherwise it follows the same arrows.
 * - Type-only imports count, for cycles and for direction alike: a cycle is a cycle, and a type
 *   from a package above is still a dependency on it. The failure message marks them.
 * - `dependencies` and `peerDependencies` in each `package.json` must respect the table too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addEdge,
  describeCycle,
  findCycles,
  readImports,
  readSource,
  resolveRelative,
  sourceFilesUnder,
  stronglyConnectedComponents,
  workspacePackageOf,
  type Graph,
} from './import-graph';

/**
 * What each package and app may import (workspace packages, by short name). `'*'` means anything.
 * The arrows point down: a package may import the packages listed for it, and nothing else.
 */
const ALLOWED: Readonly<Record<string, readonly string[] | '*'>> = {
  linalg: [],
  model: ['linalg'],
  optim: ['linalg'],
  rmt: ['linalg'],
  'linalg-native': ['linalg'],
  certificates: ['linalg', 'model', 'optim', 'rmt'],
  experiments: ['linalg', 'model', 'optim', 'rmt', 'certificates'],
  webgpu: ['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments'],
  gpujs: ['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments', 'webgpu'],
  figures: ['linalg', 'model', 'optim', 'rmt', 'certificates', 'experiments'],
  cli: ['linalg', 'linalg-native', 'model', 'optim', 'rmt', 'certificates', 'experiments', 'figures', 'webgpu', 'gpujs'],
  docs: '*',
};

const SCOPE = '@shallowscape/';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const rel = (path: string): string => relative(root, path).split(sep).join('/');

interface Unit {
  /** Short name, the key of {@link ALLOWED}: the package name without `@shallowscape/`. */
  name: string;
  /** `packages/linalg`, `apps/cli`, … */
  dir: string;
  /** `@shallowscape/linalg`, … */
  packageName: string;
  /** Workspace packages named in `dependencies` and `peerDependencies`. */
  declared: string[];
}

/** The packages and apps of the workspace, from the file system. */
function discoverUnits(): Unit[] {
  const units: Unit[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const manifestPath = join(root, group, entry.name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        name?: string;
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const packageName = manifest.name ?? `${SCOPE}${entry.name}`;
      const declared = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})].filter((d) => d.startsWith(SCOPE));
      units.push({
        name: packageName.startsWith(SCOPE) ? packageName.slice(SCOPE.length) : packageName,
        dir: join(root, group, entry.name),
        packageName,
        declared,
      });
    }
  }
  return units.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Why `from` may not import `to` under `table`, or `undefined` when it may. */
export function directionProblem(table: Readonly<Record<string, readonly string[] | '*'>>, from: string, to: string): string | undefined {
  const allowed = table[from];
  if (allowed === undefined) return `${from} is not in the dependency table`;
  if (allowed === '*') return undefined;
  if (to === from) return `${from} imports itself by its package name (use a relative import)`;
  if (table[to] === undefined) return `${to} is not in the dependency table (a package outside the documented direction)`;
  if (!allowed.includes(to)) {
    const may = allowed.length === 0 ? 'may import no workspace package' : `may import only ${allowed.join(', ')}`;
    return `${from} ${may}, not ${to} (arrows point linalg ← model, optim, rmt ← certificates ← experiments ← cli)`;
  }
  return undefined;
}

interface UnitImports {
  files: string[];
  /** File graph of the unit's own sources. */
  graph: Graph;
  /** Imports of other workspace packages: `file:line → package (type-only?)`. */
  packageImports: Array<{ file: string; line: number; target: string; typeOnly: boolean; how: string; testCode: boolean }>;
}

/** Test code: `*.test.ts` files and the test-support modules under `src/testing/`. */
function isTestCode(path: string, src: string): boolean {
  return /\.test\.tsx?$/.test(path) || relative(src, path).split(sep)[0] === 'testing';
}

/** The tooling package test code may import besides the table's arrows. */
const TEST_ONLY_PACKAGES: readonly string[] = ['test-utils'];

function readUnit(unit: Unit, units: Unit[]): UnitImports {
  const src = join(unit.dir, 'src');
  const files = sourceFilesUnder(src);
  const graph: Graph = new Map();
  const packageImports: UnitImports['packageImports'] = [];
  const ownerOf = (path: string): Unit | undefined => units.find((u) => path.startsWith(u.dir + sep));
  for (const file of files) {
    if (!graph.has(file)) graph.set(file, new Map());
    for (const edge of readImports(readSource(file), file)) {
      if (edge.specifier.startsWith('.')) {
        const target = resolveRelative(file, edge.specifier);
        if (target === undefined) continue; // a non-source asset (JSON, wasm) or a typo the type checker reports
        const owner = ownerOf(target);
        if (owner !== undefined && owner !== unit) {
          packageImports.push({ file, line: edge.line, target: owner.name, typeOnly: edge.typeOnly, how: `by path ${edge.specifier}`, testCode: isTestCode(file, src) });
        } else if (target.startsWith(src + sep)) {
          addEdge(graph, file, target, edge.typeOnly);
        }
        continue;
      }
      const pkg = workspacePackageOf(edge.specifier, SCOPE);
      if (pkg !== undefined) {
        packageImports.push({ file, line: edge.line, target: pkg.slice(SCOPE.length), typeOnly: edge.typeOnly, how: `'${edge.specifier}'`, testCode: isTestCode(file, src) });
      }
    }
  }
  return { files, graph, packageImports };
}

const units = discoverUnits();
const imports = new Map(units.map((u) => [u.name, readUnit(u, units)]));

describe('import graph', () => {
  it('discovers the packages and apps, each placed in the dependency table', () => {
    expect(units.map((u) => u.name)).toEqual(expect.arrayContaining(['linalg', 'cli']));
    const missing = units
      .filter((u) => ALLOWED[u.name] === undefined)
      .map((u) => `${rel(u.dir)} (${u.packageName}) is not in the table ALLOWED of tooling/test-utils/src/import-graph.test.ts: place it in the dependency direction`);
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('the table itself points one way (no cycle among the allowed imports)', () => {
    const graph: Graph = new Map();
    for (const [from, allowed] of Object.entries(ALLOWED)) {
      graph.set(from, graph.get(from) ?? new Map());
      if (allowed !== '*') for (const to of allowed) addEdge(graph, from, to, false);
    }
    const cycles = findCycles(graph).map((c) => c.path.join(' → '));
    expect(cycles, cycles.join('\n')).toEqual([]);
  });

  for (const unit of units) {
    const name = rel(unit.dir);
    const found = imports.get(unit.name)!;

    it(`${name}: no import cycle among its sources (type-only imports included)`, () => {
      expect(found.files.length, `${name}/src has no TypeScript sources`).toBeGreaterThanOrEqual(unit.name === 'docs' ? 0 : 1);
      const cycles = findCycles(found.graph).map((c) => `  ${describeCycle(c, join(unit.dir, 'src'))}`);
      expect(cycles, `${name}/src has ${cycles.length} import cycle(s):\n${cycles.join('\n')}`).toEqual([]);
    });

    it(`${name}: imports only the packages the dependency direction allows`, () => {
      const problems: string[] = [];
      for (const i of found.packageImports) {
        if (i.testCode && TEST_ONLY_PACKAGES.includes(i.target)) continue;
        const problem = directionProblem(ALLOWED, unit.name, i.target);
        if (problem !== undefined) problems.push(`${rel(i.file)}:${i.line}: imports ${i.target} ${i.how}${i.typeOnly ? ' (type-only)' : ''}: ${problem}`);
      }
      for (const dep of unit.declared) {
        const problem = directionProblem(ALLOWED, unit.name, dep.slice(SCOPE.length));
        if (problem !== undefined) problems.push(`${name}/package.json: depends on ${dep}: ${problem}`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});

describe('the import-graph checker itself', () => {
  it('reads every kind of import with the compiler API, flagging type-only ones', () => {
    const source = [
      "import { a } from './a';", // 1
      "import type { B } from './b';", // 2
      "import { type C, type D } from './c';", // 3
      "import { type E, f } from './e';", // 4
      "export { g } from './g';", // 5
      "export type { H } from './h';", // 6
      "export * from '@shallowscape/linalg';", // 7
      "import './side-effect';", // 8
      "const lazy = () => import('./lazy');", // 9
      "type T = import('./types').T;", // 10
      "import x = require('./cjs');", // 11
      "const s = 'import { no } from \"./not-an-import\"';", // 12
      '// import { neither } from "./comment";', // 13
    ].join('\n');
    expect(readImports(source).map((e) => [e.line, e.specifier, e.typeOnly])).toEqual([
      [1, './a', false],
      [2, './b', true],
      [3, './c', true],
      [4, './e', false],
      [5, './g', false],
      [6, './h', true],
      [7, '@shallowscape/linalg', false],
      [8, './side-effect', false],
      [9, './lazy', false],
      [10, './types', true],
      [11, './cjs', false],
    ]);
    expect(workspacePackageOf('@shallowscape/linalg/sub')).toBe('@shallowscape/linalg');
    expect(workspacePackageOf('node:fs')).toBeUndefined();
  });

  it('finds a planted cycle, with a concrete path and its type-only edges, and passes a DAG', () => {
    const graph: Graph = new Map();
    addEdge(graph, 'commands/train.ts', 'commands/two-layer-setup.ts', false);
    addEdge(graph, 'commands/two-layer-setup.ts', 'commands/eval.ts', false);
    addEdge(graph, 'commands/eval.ts', 'commands/quadratic-inputs.ts', true);
    addEdge(graph, 'commands/quadratic-inputs.ts', 'commands/certify.ts', false);
    addEdge(graph, 'commands/certify.ts', 'commands/train.ts', false);
    addEdge(graph, 'commands/train.ts', 'io/json-output.ts', false);
    addEdge(graph, 'io/json-output.ts', 'io/npy.ts', false);
    addEdge(graph, 'self.ts', 'self.ts', true);
    const cycles = findCycles(graph);
    expect(cycles.map((c) => c.path)).toEqual([
      ['commands/certify.ts', 'commands/train.ts', 'commands/two-layer-setup.ts', 'commands/eval.ts', 'commands/quadratic-inputs.ts', 'commands/certify.ts'],
      ['self.ts', 'self.ts'],
    ]);
    expect(cycles[0]!.typeOnlyEdges).toEqual(['commands/eval.ts → commands/quadratic-inputs.ts']);
    expect(describeCycle(cycles[0]!, '')).toBe(
      'commands/certify.ts → commands/train.ts → commands/two-layer-setup.ts → commands/eval.ts → commands/quadratic-inputs.ts → commands/certify.ts ' +
        '(type-only: commands/eval.ts → commands/quadratic-inputs.ts)',
    );

    const dag: Graph = new Map();
    addEdge(dag, 'a', 'b', false);
    addEdge(dag, 'b', 'c', false);
    addEdge(dag, 'a', 'c', false);
    expect(findCycles(dag)).toEqual([]);
    expect(stronglyConnectedComponents(dag)).toEqual([['a'], ['b'], ['c']]);
  });

  it('reports the shortest cycle through a component and lists the rest of the component', () => {
    const graph: Graph = new Map();
    // a ⇄ b, and b → c → d → a: one component {a, b, c, d}; the shortest cycle through a is a → b → a.
    addEdge(graph, 'a', 'b', false);
    addEdge(graph, 'b', 'a', false);
    addEdge(graph, 'b', 'c', false);
    addEdge(graph, 'c', 'd', false);
    addEdge(graph, 'd', 'a', false);
    const [cycle] = findCycles(graph);
    expect(cycle!.path).toEqual(['a', 'b', 'a']);
    expect(describeCycle(cycle!, '')).toBe('a → b → a; the whole strongly connected set (4 files): a, b, c, d');
  });

  it('finds a cycle in real files on disk, through relative imports and type-only imports', async () => {
    const { mkdtempSync, writeFileSync, rmSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.ts'), "import { b } from './sub/b.js';\nexport const a = b;\n");
      writeFileSync(join(dir, 'sub', 'b.ts'), "import type { C } from '../c';\nexport const b = 1 as unknown as C;\n");
      writeFileSync(join(dir, 'c.ts'), "export type { A } from './index';\nexport type C = number;\n");
      writeFileSync(join(dir, 'index.ts'), "export { a as A } from './a';\n");
      const graph: Graph = new Map();
      for (const file of sourceFilesUnder(dir)) {
        for (const edge of readImports(readSource(file), file)) {
          const target = resolveRelative(file, edge.specifier);
          if (target !== undefined) addEdge(graph, file, target, edge.typeOnly);
        }
      }
      const cycles = findCycles(graph).map((c) => describeCycle(c, dir));
      expect(cycles).toEqual(['a.ts → sub/b.ts → c.ts → index.ts → a.ts (type-only: sub/b.ts → c.ts, c.ts → index.ts)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('judges arrows by the table: down is allowed, up, sideways and unknown are not', () => {
    expect(directionProblem(ALLOWED, 'certificates', 'model')).toBeUndefined();
    expect(directionProblem(ALLOWED, 'cli', 'linalg')).toBeUndefined();
    expect(directionProblem(ALLOWED, 'docs', 'cli')).toBeUndefined();
    expect(directionProblem(ALLOWED, 'model', 'optim')).toMatch(/model may import only linalg, not optim/);
    expect(directionProblem(ALLOWED, 'optim', 'model')).toMatch(/optim may import only linalg, not model/);
    expect(directionProblem(ALLOWED, 'rmt', 'certificates')).toMatch(/rmt may import only linalg/);
    expect(directionProblem(ALLOWED, 'linalg', 'model')).toMatch(/linalg may import no workspace package, not model/);
    expect(directionProblem(ALLOWED, 'experiments', 'cli')).toMatch(/not cli/);
    expect(directionProblem(ALLOWED, 'cli', 'test-utils')).toMatch(/test-utils is not in the dependency table/);
    expect(directionProblem(ALLOWED, 'newcomer', 'linalg')).toMatch(/newcomer is not in the dependency table/);
    expect(directionProblem(ALLOWED, 'linalg', 'linalg')).toMatch(/imports itself/);
    expect(isTestCode('/r/src/x.test.ts', '/r/src')).toBe(true);
    expect(isTestCode('/r/src/testing/helpers.ts', '/r/src')).toBe(true);
    expect(isTestCode('/r/src/kernels/testing.ts', '/r/src')).toBe(false);
    expect(isTestCode('/r/src/matrix.ts', '/r/src')).toBe(false);
  });
});
