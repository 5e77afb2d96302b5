/**
 * The sweeps shipped in examples/sweeps/, each run by the built CLI at a small size: the file is
 * read, its grid cut down (fewer values, fewer seeds, smaller d) and run, and the result checked
 * against the claim the sweep illustrates at points far from its transition.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { requireBuiltCli, runBuiltCli } from '../src/testing/built-cli';

const EXAMPLES = fileURLToPath(new URL('../../../examples/sweeps/', import.meta.url));

let dir: string;
beforeAll(() => {
  requireBuiltCli();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shallowscape-shipped-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

type SweepDocument = { name: string; fixed?: Record<string, unknown>; grid: Record<string, unknown>; seeds?: number };

/** Runs a shipped sweep with some keys replaced, and returns its aggregate as JSON rows. */
async function runShrunk(name: string, change: (doc: SweepDocument) => void, success: string | null): Promise<Array<Record<string, unknown>>> {
  const doc = parse(readFileSync(join(EXAMPLES, `${name}.yaml`), 'utf8')) as SweepDocument;
  expect(doc.name).toBe(name);
  change(doc);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  const store = join(dir, `${name}.sqlite`);
  const run = await runBuiltCli(['sweep', file, '--store', store, '--workers', '2', '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const table = await runBuiltCli(['results', store, '--aggregate', ...(success !== null ? ['--success', success] : []), '--format', 'json']);
  expect(table.code).toBe(0);
  return JSON.parse(table.stdout) as Array<Record<string, unknown>>;
}

describe('shipped sweeps (small sizes)', () => {
  it('sample-threshold: no recovery well below N*, recovery well above', async () => {
    const rows = await runShrunk(
      'sample-threshold',
      (doc) => {
        doc.grid.d = [5, 8];
        doc.grid.ratio = [0.7, 1.5];
        doc.seeds = 2;
      },
      'relativeError < 1e-6',
    );
    expect(rows.map((r) => [r.d, r.ratio, r.n, r.fraction])).toEqual([
      [5, 0.7, 11, 0],
      [5, 1.5, 23, 1],
      [8, 0.7, 25, 0],
      [8, 1.5, 54, 1],
    ]);
  }, 60_000);

  it('identity-init: above the barrier at m = d²/2, below it at m = 16d²', async () => {
    const rows = await runShrunk(
      'identity-init',
      (doc) => {
        doc.grid.d = [5];
        doc.grid.m_per_d2 = [0.5, 16];
        doc.seeds = 3;
      },
      'certificate.energyBarrier.belowBarrier',
    );
    expect(rows.map((r) => [r.m_per_d2, r.m, r['teacher-width'], r.count, r.fraction])).toEqual([
      [0.5, 13, 13, 3, 0],
      [16, 400, 400, 3, 1],
    ]);
  }, 60_000);

  it('maillard-recovery: gradient descent fails far below α = κ − κ²/2 and recovers above it', async () => {
    const rows = await runShrunk(
      'maillard-recovery',
      (doc) => {
        doc.fixed!.d = 10;
        doc.fixed!.steps = 5000;
        doc.grid.kappa = [0.5];
        doc.grid.alpha = [0.1, 0.8];
        doc.seeds = 1;
      },
      'relativeError < 1e-3',
    );
    // κ = 0.5: the threshold is α = 0.375; N = 10 and 80 samples for d = 10, m = 5.
    expect(rows.map((r) => [r.alpha, r.m, r['teacher-width'], r.n, r.fraction])).toEqual([
      [0.1, 5, 5, 10, 0],
      [0.8, 5, 5, 80, 1],
    ]);
    expect(rows[0]!['relativeError.mean'] as number).toBeGreaterThan(0.1);
  }, 60_000);

  it('two-layer-rates: final risk and the movement of both layers for each width and rate ratio', async () => {
    const rows = await runShrunk(
      'two-layer-rates',
      (doc) => {
        doc.fixed!.steps = 300;
        doc.grid.m = [20, 400];
        doc.grid.rate_ratio = [0.1];
        doc.seeds = 2;
      },
      null,
    );
    expect(rows.map((r) => [r.m, r.rate_ratio, r['lr-output'], r.count])).toEqual([
      [20, 0.1, 0.05, 2],
      [400, 0.1, 0.05, 2],
    ]);
    for (const r of rows) {
      for (const key of ['empiricalRisk.mean', 'movementHidden.mean', 'movementOutput.mean']) expect(Number.isFinite(r[key])).toBe(true);
    }
    // NTK scaling: the wider network moves less from its start (lazy training).
    expect(rows[1]!['movementHidden.mean'] as number).toBeLessThan(rows[0]!['movementHidden.mean'] as number);
  }, 60_000);
});
