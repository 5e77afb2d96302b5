#!/usr/bin/env node
// The figures of the claim guides, from quick runs, written to apps/docs/guides/figures/claims/:
//
// - <experiment>.svg for each `reproduce` experiment: its measured numbers with the thresholds of
//   its criterion, from `shallowscape reproduce --quick --json` (seed 0 of each experiment's stream);
// - convex-lift-certificate.svg: the certificate of `shallowscape train --d 6 --m 8 --n 40
//   --certify --out run` (the command of its guide), drawn from the run's files.
//
// `pnpm run docs` runs it (after the build) before TypeDoc; the figures are also committed, so the
// guides' links resolve in a clone that has not built the site. Same build, same bytes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'apps', 'cli', 'dist', 'index.js');
const out = join(root, 'apps', 'docs', 'guides', 'figures', 'claims');
const figures = await import(new URL('../../../packages/figures/dist/index.js', import.meta.url).href);
const { Matrix } = await import(new URL('../../../packages/linalg/dist/index.js', import.meta.url).href);

/** A float64 little-endian .npy file as written by the CLI: [rows, cols] (or [n]) and the data. */
function readNpy(path) {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  if (!header.includes("'descr': '<f8'") || header.includes("'fortran_order': True")) throw new Error(`${path}: not a C-order float64 .npy file`);
  const shape = /'shape': \(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const start = 10 + headerLength;
  const data = new Float64Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length));
  return { shape, data };
}
const matrix = (path) => {
  const { shape, data } = readNpy(path);
  return new Matrix(shape[0], shape[1], data);
};

mkdirSync(out, { recursive: true });
const reproduce = JSON.parse(execFileSync(process.execPath, [cli, 'reproduce', '--quick', '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
for (const e of reproduce.experiments) {
  const spec = figures.claimFigure({ ...e, results: { columns: e.columns, rows: e.results } });
  if (spec === null) throw new Error(`no figure for the experiment ${e.name}`);
  writeFileSync(join(out, `${e.name}.svg`), await figures.renderSvg(spec));
}

const dir = mkdtempSync(join(tmpdir(), 'shallowscape-docs-figures-'));
try {
  execFileSync(process.execPath, [cli, 'train', '--d', '6', '--m', '8', '--n', '40', '--certify', '--out', 'run', '--json'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const run = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'));
  const problem = { w: matrix(join(dir, 'run', 'W.npy')), x: matrix(join(dir, 'run', 'X.npy')), y: readNpy(join(dir, 'run', 'y.npy')).data };
  const title = 'train --d 6 --m 8 --n 40 --certify: the certificate of the final weights';
  writeFileSync(join(out, 'convex-lift-certificate.svg'), await figures.renderSvg(figures.certificateFigure(run.certificate, figures.certificateFigureData(problem), title)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`wrote ${reproduce.experiments.length + 1} figures to ${out}\n`);
