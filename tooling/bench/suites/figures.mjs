// figures suite: what figures and reports cost, as child processes (Vega is loaded on first use,
// so its import is part of the cost a command pays for --report or --plot).
//
// - `report of reproduce --quick`: renders the figure of each of the eleven claims of one
//   `reproduce --quick --json` run (made once, before timing) with @shallowscape/figures and writes
//   the report page (KaTeX stylesheet and fonts inline): what `--report` adds to `reproduce
//   --quick` (the issue asks ≤ 2 s). A process start is included.
// - `phase diagram of 10,000 runs`: `shallowscape results STORE --plot x=n,y=fraction --success …`
//   on a store of 10,000 finished runs (a sweep of trivial cells made once, before timing): read the
//   store, aggregate, draw the SVG, write it (the issue asks < 1 s).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../../../apps/cli/dist/index.js', import.meta.url));
const figures = fileURLToPath(new URL('../../../packages/figures/dist/index.js', import.meta.url));

/** The child that renders a report of a `reproduce --json` output. */
const REPORT_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
const f = await import(process.argv[2]);
const out = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const sections = [];
for (const e of out.experiments) {
  const result = { ...e, results: { columns: e.columns, rows: e.results } };
  const spec = f.claimFigure(result);
  sections.push({ heading: e.name, verdict: e.passed ? 'PASS' : 'FAIL', paragraphs: [f.escapeMath(e.claim)], figures: spec === null ? [] : [{ svg: await f.renderSvg(spec), caption: 'the claim' }],
    table: { columns: e.columns, rows: e.results.map((row) => e.columns.map((key) => String(row[key]))) } });
}
writeFileSync(process.argv[4], f.reportHtml({ title: 'shallowscape reproduce', summary: 'bench', command: 'shallowscape reproduce --quick --report', versions: {}, sections }));
`;

function run(args, what) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** @type {import('../run.mjs').Suite} */
export default {
  name: 'figures',
  description: 'figures and reports: the report of reproduce --quick, a phase diagram of 10,000 runs',
  cases({ quick }) {
    if (!existsSync(cli) || !existsSync(figures)) return [{ name: 'figures', params: {}, skip: 'the CLI or @shallowscape/figures is not built: run pnpm build' }];
    const dir = mkdtempSync(join(tmpdir(), 'shallowscape-bench-figures-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const reproduceJson = join(dir, 'reproduce.json');
    writeFileSync(reproduceJson, run([cli, 'reproduce', '--quick', '--json'], 'reproduce --quick'));
    const script = join(dir, 'report.mjs');
    writeFileSync(script, REPORT_SCRIPT);
    const html = join(dir, 'report.html');

    const runs = quick ? 2000 : 10000;
    const sweep = join(dir, 'phase.yaml');
    // 100 × 25 grid points × seeds = runs; trivial cells (no steps), so the store fills in seconds.
    writeFileSync(sweep, `name: phase\nrun: train\nfixed: { d: 2, steps: 0 }\ngrid:\n  n: { range: [1, 100, 1] }\n  m: { range: [1, 25, 1] }\nseeds: ${runs / 2500}\n`);
    const store = join(dir, 'phase.sqlite');
    run([cli, 'sweep', sweep, '--store', store, '--json'], 'the sweep of trivial cells');
    const svg = join(dir, 'phase.svg');
    const reps = quick ? 3 : 7;
    return [
      {
        name: 'report of reproduce --quick (11 claim figures + page)',
        params: { claims: 11 },
        subjects: {
          shallowscape: { reps, warmup: 1, setup: () => () => run([script, pathToFileURL(figures).href, reproduceJson, html], 'the report'), note: 'process start, Vega import, 11 figures, KaTeX page' },
        },
      },
      {
        name: `phase diagram of ${runs} runs (results --plot)`,
        params: { runs, points: 2500 },
        subjects: {
          shallowscape: {
            reps,
            warmup: 1,
            setup: () => () => run([cli, 'results', store, '--plot', 'x=n,y=m,color=fraction', '--success', 'empiricalRisk >= 0', '--out', svg], 'results --plot'),
            note: 'process start, read the store, aggregate, SVG',
          },
        },
      },
    ];
  },
};
