/**
 * The figure of each `reproduce` experiment: the measured curve of its claim with the claim's
 * threshold drawn on it (the line $N = N^*$, the energy barrier, the tolerance of the criterion),
 * read from the experiment's result table and its recorded configuration, so the figure shows the
 * numbers the PASS/FAIL verdict was computed from.
 *
 * @packageDocumentation
 */
import type { ExperimentResult, TableValue } from '@shallowscape/experiments';
import { FIGURE_CONFIG, PANEL_HEIGHT, drawable } from './figure-style';
import { formatFigureNumber } from './format-figure-number';
import type { FigureSpec } from './render-svg';

type Row = Readonly<Record<string, TableValue>>;

/** A threshold of the claim: a vertical (`x`) or horizontal (`y`) line with its label. */
export interface ClaimThreshold {
  axis: 'x' | 'y';
  value: number;
  label: string;
}

/** One panel of a claim figure: measured points joined by lines, one line per series. */
export interface ClaimPanel {
  title: string;
  xTitle: string;
  yTitle: string;
  xLog?: boolean;
  yLog?: boolean;
  /** The measured points. */
  points: Array<{ x: number; y: number; series: string }>;
  /** Draw points only, not joined (a scatter of runs rather than a curve). */
  scatter?: boolean;
  thresholds: ClaimThreshold[];
}

const num = (v: TableValue | undefined): number => (typeof v === 'number' ? v : Number.NaN);
const cfg = (result: ExperimentResult, key: string): number => {
  const v = result.config[key];
  return typeof v === 'number' ? v : Number.NaN;
};

/** Points of `fields` against `xField`, one series per field and `seriesOf(row)`. */
function measured(rows: readonly Row[], xField: string, fields: ReadonlyArray<[string, string]>, seriesOf: (row: Row) => string = () => ''): ClaimPanel['points'] {
  const points: ClaimPanel['points'] = [];
  for (const row of rows) {
    for (const [field, label] of fields) {
      const prefix = seriesOf(row);
      points.push({ x: num(row[xField]), y: num(row[field]), series: [prefix, label].filter((s) => s !== '').join(', ') });
    }
  }
  return points;
}

/** The panels of each experiment, by name. */
const CLAIM_PANELS: Readonly<Record<string, (result: ExperimentResult) => ClaimPanel[]>> = {
  'sample-threshold': (r) => [
    {
      title: 'Fraction of interpolating students that recover the teacher',
      xTitle: 'N − N*  (N* = d(d+1)/2)',
      yTitle: 'fraction recovered',
      points: measured(r.results.rows, 'offset', [['fraction', '']], (row) => `d = ${row.d}, m* = ${row.teacherWidth}`),
      thresholds: [{ axis: 'x', value: 0, label: 'N = N*' }],
    },
  ],
  'identity-init': (r) => {
    const required = (r.config.required as Array<{ ratio: number; atLeast: number }> | undefined) ?? [];
    return [
      {
        title: 'Fraction of teachers with the identity start below the energy barrier',
        xTitle: 'm / d²',
        xLog: true,
        yTitle: 'fraction below the barrier',
        points: measured(r.results.rows, 'ratio', [['fraction', '']], (row) => `d = ${row.d}`),
        thresholds: [
          { axis: 'x', value: cfg(r, 'zeroUpTo'), label: `0 up to m/d² = ${cfg(r, 'zeroUpTo')}` },
          ...required.map((q) => ({ axis: 'x' as const, value: q.ratio, label: `≥ ${q.atLeast} at ${q.ratio}` })),
        ],
      },
    ];
  },
  'identity-recovery': (r) => [
    {
      title: 'Gradient descent from the identity: risk along the path and final error',
      xTitle: 'max over the path of L(W_t) / barrier',
      xLog: true,
      yTitle: 'final relative error',
      yLog: true,
      scatter: true,
      points: r.results.rows.map((row) => ({ x: num(row.maxRiskOverBarrier), y: num(row.relativeError), series: `${row.objective} objective` })),
      thresholds: [
        { axis: 'x', value: 1, label: 'energy barrier' },
        { axis: 'y', value: cfg(r, 'relativeErrorTolerance'), label: 'recovery tolerance' },
      ],
    },
  ],
  'signed-arbitrary-labels': (r) => [
    {
      title: 'Signed networks (k = 2d) fitting random labels with N = N* − 1',
      xTitle: 'd',
      yTitle: 'training risk',
      yLog: true,
      points: measured(r.results.rows, 'd', [
        ['medianRisk', 'median'],
        ['maxRisk', 'max'],
      ]),
      thresholds: [{ axis: 'y', value: cfg(r, 'riskTolerance'), label: 'tolerance (× mean y²)' }],
    },
  ],
  'semicircle-law': (r) => [
    {
      title: 'KS distance to the semicircle as m/d grows',
      xTitle: 'm / d',
      xLog: true,
      yTitle: 'KS distance',
      yLog: true,
      points: measured(r.results.rows, 'ratio', [
        ['medianKs', 'median over samples'],
        ['lawKs', 'limit law at this m/d'],
      ]),
      thresholds: [{ axis: 'y', value: cfg(r, 'finalBound'), label: 'bound at the largest m/d' }],
    },
  ],
  'marchenko-pastur-edges': (r) => [
    {
      title: 'Distance of the extreme eigenvalues of WᵀW/m to the edges (1 ± √γ)²',
      xTitle: 'm',
      xLog: true,
      yTitle: 'median |λ − edge|',
      yLog: true,
      points: measured(
        r.results.rows,
        'm',
        [
          ['medianLowerError', 'lower edge'],
          ['medianUpperError', 'upper edge'],
        ],
        (row) => `γ = ${row.gamma}`,
      ),
      thresholds: [],
    },
    {
      title: 'KS distance to Marchenko–Pastur',
      xTitle: 'm',
      xLog: true,
      yTitle: 'median KS distance',
      yLog: true,
      points: measured(r.results.rows, 'm', [['medianKs', '']], (row) => `γ = ${row.gamma}`),
      thresholds: [{ axis: 'y', value: cfg(r, 'ksBound'), label: 'bound at the largest m' }],
    },
  ],
  'bad-global-minimum': (r) => [
    {
      title: 'Interpolating rank-deficient W at N = N* − 1: population risk over the barrier',
      xTitle: 'd',
      yTitle: 'L(W) / 2σ_min(W*)⁴',
      yLog: true,
      points: measured(r.results.rows, 'd', [
        ['minRiskOverBarrier', 'min over runs'],
        ['medianRiskOverBarrier', 'median'],
      ]),
      thresholds: [{ axis: 'y', value: 1, label: 'energy barrier' }],
    },
  ],
  'certified-optimum': (r) => [
    {
      title: 'Gap bound of the convex-lift certificate at the L-BFGS end',
      xTitle: 'd',
      yTitle: 'max gap bound',
      yLog: true,
      points: r.results.rows.filter((row) => String(row.point).startsWith('L-BFGS')).map((row) => ({ x: num(row.d), y: num(row.maxGapBound), series: `noise ${row.noise}` })),
      thresholds: [{ axis: 'y', value: cfg(r, 'gapTolerance'), label: 'tolerance (× mean y²)' }],
    },
  ],
  'two-layer-random-labels': (r) => [
    {
      title: 'Relative movement of each layer as the width grows',
      xTitle: 'm',
      xLog: true,
      yTitle: 'median relative movement',
      yLog: true,
      points: measured(
        r.results.rows,
        'm',
        [
          ['movementHidden', 'hidden'],
          ['movementOutput', 'output'],
        ],
        (row) => `η_a/η_W = ${row.ratio}`,
      ),
      thresholds: [{ axis: 'y', value: cfg(r, 'nonLazyMovement'), label: 'non-lazy movement' }],
    },
  ],
  'ntk-rate': (r) => [
    {
      title: 'Measured tail rate over the rate predicted by λ₀ of the NTK Gram',
      xTitle: 'm',
      xLog: true,
      yTitle: 'κ_tail / κ₀',
      points: r.results.rows.map((row) => ({ x: num(row.m), y: num(row.tailRateOverPredicted), series: `run ${row.run}` })),
      thresholds: [
        { axis: 'y', value: 1 - cfg(r, 'rateTolerance'), label: `1 − ${cfg(r, 'rateTolerance')}` },
        { axis: 'y', value: 1 + cfg(r, 'rateTolerance'), label: `1 + ${cfg(r, 'rateTolerance')}` },
      ],
    },
  ],
  'population-gradient-flow': (r) => {
    const rows = r.results.rows;
    const slopeRange = (r.config.slopeRange as [number, number] | undefined) ?? [Number.NaN, Number.NaN];
    return [
      {
        title: 'Full-rank teacher: fitted exponential rate over the predicted 2μ',
        xTitle: 'd',
        yTitle: 'rate / 2μ',
        points: rows.filter((row) => row.law === 'exponential').map((row) => ({ x: num(row.d), y: num(row.rate) / num(row.predictedRate), series: `teacher ${row.teacher}` })),
        thresholds: [{ axis: 'y', value: 1 - cfg(r, 'rateTolerance'), label: `${1 - cfg(r, 'rateTolerance')} × 2μ` }],
      },
      {
        title: 'Rank-deficient teacher: slope of log L against log t',
        xTitle: 'd',
        yTitle: 'slope',
        points: rows.filter((row) => row.law !== 'exponential').map((row) => ({ x: num(row.d), y: num(row.slope), series: `teacher ${row.teacher}` })),
        thresholds: [
          { axis: 'y', value: slopeRange[0], label: `slope ${slopeRange[0]}` },
          { axis: 'y', value: slopeRange[1], label: `slope ${slopeRange[1]}` },
        ],
      },
    ];
  },
};

/**
 * The panels of an experiment's figure, with the points a log axis cannot show left out.
 *
 * @param result - the experiment's result (one entry of `reproduce --json`).
 * @returns the panels, or `null` for an experiment this package has no figure for.
 */
export function claimPanels(result: ExperimentResult): ClaimPanel[] | null {
  const make = CLAIM_PANELS[result.name];
  if (make === undefined) return null;
  return make(result).map((p) => ({
    ...p,
    points: p.points.filter((q) => drawable(q.x, p.xLog === true) && drawable(q.y, p.yLog === true)),
    thresholds: p.thresholds.filter((t) => drawable(t.value, (t.axis === 'x' ? p.xLog : p.yLog) === true)),
  }));
}

/** Splits text into lines of at most `width` characters at spaces (a longer word stays whole). */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Tick labels of a log axis: plain numbers within $[10^{-3}, 10^4]$, exponents beyond. */
function logAxisFormat(values: readonly number[]): string {
  const finite = values.filter((v) => v > 0 && Number.isFinite(v));
  return finite.some((v) => v < 1e-3 || v > 1e4) ? '~e' : '~g';
}

function panelSpec(panel: ClaimPanel): Record<string, unknown> {
  const scale = (log: boolean | undefined) => (log === true ? { type: 'log' } : { zero: false });
  const axis = (log: boolean | undefined, values: number[]) => (log === true ? { format: logAxisFormat(values) } : {});
  const layer: Array<Record<string, unknown>> = [
    {
      data: { values: panel.points },
      mark: panel.scatter === true ? { type: 'point', size: 30, filled: true } : { type: 'line', point: { size: 30, filled: true } },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: panel.xTitle, scale: scale(panel.xLog), axis: axis(panel.xLog, [...panel.points.map((p) => p.x), ...panel.thresholds.filter((t) => t.axis === 'x').map((t) => t.value)]) },
        y: { field: 'y', type: 'quantitative', title: panel.yTitle, scale: scale(panel.yLog), axis: axis(panel.yLog, [...panel.points.map((p) => p.y), ...panel.thresholds.filter((t) => t.axis === 'y').map((t) => t.value)]) },
        color: { field: 'series', type: 'nominal', title: null },
        order: { field: 'x', type: 'quantitative' },
      },
    },
  ];
  for (const axis of ['x', 'y'] as const) {
    const rules = panel.thresholds.filter((t) => t.axis === axis);
    if (rules.length === 0) continue;
    const values = rules.map((t) => ({ value: t.value, label: axis === 'y' ? `${t.label}: ${formatFigureNumber(t.value)}` : t.label }));
    layer.push({
      data: { values },
      mark: { type: 'rule', color: '#c0392b', strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { [axis]: { field: 'value', type: 'quantitative' } },
    });
    layer.push({
      data: { values },
      mark: axis === 'x' ? { type: 'text', color: '#c0392b', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -3, fontSize: 10 } : { type: 'text', color: '#c0392b', align: 'left', baseline: 'bottom', dx: 4, dy: -3, fontSize: 10 },
      encoding: axis === 'x' ? { x: { field: 'value', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } : { y: { field: 'value', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
    });
  }
  return { width: 420, height: PANEL_HEIGHT, title: panel.title, layer };
}

/**
 * The Vega-Lite figure of an experiment: its panels side by side, titled with the claim and the
 * verdict.
 *
 * @param result - the experiment's result.
 * @returns the figure, or `null` for an experiment without one.
 *
 * @example
 * ```ts
 * const result = { name: 'sample-threshold', claim: 'c', criterion: 'k', passed: true, details: [], config: {},
 *   results: { columns: [], rows: [{ d: 3, teacherWidth: 3, offset: -1, fraction: 0 }, { d: 3, teacherWidth: 3, offset: 0, fraction: 1 }] } };
 * (claimFigure(result) as { hconcat: unknown[] }).hconcat.length; // => 1
 * claimFigure({ ...result, name: 'no-such-experiment' }); // => null
 * ```
 */
export function claimFigure(result: ExperimentResult): FigureSpec | null {
  const panels = claimPanels(result);
  if (panels === null) return null;
  return {
    title: { text: `${result.name}: ${result.passed ? 'PASS' : 'FAIL'}`, subtitle: wrapWords(result.claim, 110) },
    config: FIGURE_CONFIG,
    hconcat: panels.map(panelSpec),
    resolve: { scale: { color: 'independent', x: 'independent', y: 'independent' } },
  } as unknown as FigureSpec;
}
