/**
 * The figure of a training run: the risk and the gradient norm against the step on a log scale,
 * the relative error $\|Q_t - W^{*\top}W^*\|_F / \|W^{*\top}W^*\|_F$ where the run has a teacher,
 * and for two-layer networks the relative movement of each layer,
 * $\|W_t - W_0\|_F / \|W_0\|_F$ and $\|a_t - a_0\| / \|a_0\|$.
 *
 * @packageDocumentation
 */
import type { TrainingHistory } from '@shallowscape/experiments';
import { FIGURE_CONFIG, PANEL_HEIGHT, PANEL_WIDTH, drawable } from './figure-style';
import type { FigureSpec } from './render-svg';

/** What {@link trainingFigure} draws: the history of `train --json`, and a title. */
export interface TrainingFigureInput {
  /** The sampled history (`history` of `train --json`); two-layer runs add the movements. */
  history: TrainingHistory & { movementHidden?: readonly number[]; movementOutput?: readonly number[] };
  /** The relative error at the history's steps (`relativeErrorHistory` of a quadratic run with a teacher). */
  relativeError?: readonly number[] | null;
  /** The figure's title, e.g. `"quadratic network, m = 8, d = 6, N = 21, seed 0"`. */
  title: string;
}

type Row = { step: number; quantity: string; value: number };

function series(step: readonly number[], values: readonly number[] | undefined, quantity: string, log: boolean): Row[] {
  const rows: Row[] = [];
  if (values === undefined) return rows;
  for (let k = 0; k < step.length; k++) {
    const value = values[k];
    if (drawable(value, log)) rows.push({ step: step[k]!, quantity, value });
  }
  return rows;
}

function panel(rows: Row[], title: string, yTitle: string, log: boolean, domain: string[]): Record<string, unknown> {
  return {
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    title,
    data: { values: rows },
    mark: { type: 'line', point: { size: 18 } },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: log ? { type: 'log' } : { zero: true }, ...(log ? { axis: { format: '~e' } } : {}) },
      color: { field: 'quantity', type: 'nominal', title: null, scale: { domain } },
    },
  };
}

/**
 * The Vega-Lite figure of a training run: one panel for the risk and gradient norm (log scale),
 * one for the relative error when the history has it, one for the movements of a two-layer run.
 * Values a log axis cannot show (zero, negative, non-finite) are left out of that panel.
 *
 * @param input - the history and the title.
 * @returns the figure (render it with {@link renderSvg}).
 *
 * @example
 * ```ts
 * const spec = trainingFigure({ title: 'a run', history: { step: [0, 10], risk: [1, 1e-3], gradientNorm: [2, 1e-2], elapsedMs: [0, 1] } });
 * (spec as { vconcat: unknown[] }).vconcat.length; // => 1
 * ```
 */
export function trainingFigure(input: TrainingFigureInput): FigureSpec {
  const { history } = input;
  const { step } = history;
  const panels: Array<Record<string, unknown>> = [
    panel(
      [...series(step, history.risk, 'risk', true), ...series(step, history.gradientNorm, 'gradient norm', true)],
      'Risk and gradient norm',
      'risk, ‖∇L‖ (log scale)',
      true,
      ['risk', 'gradient norm'],
    ),
  ];
  if (input.relativeError !== undefined && input.relativeError !== null) {
    panels.push(panel(series(step, input.relativeError, 'relative error', true), 'Relative error ‖Q − W*ᵀW*‖_F / ‖W*ᵀW*‖_F', 'relative error (log scale)', true, ['relative error']));
  }
  if (history.movementHidden !== undefined || history.movementOutput !== undefined) {
    panels.push(
      panel(
        [...series(step, history.movementHidden, 'hidden layer ‖W − W₀‖/‖W₀‖', false), ...series(step, history.movementOutput, 'output layer ‖a − a₀‖/‖a₀‖', false)],
        'Relative movement of each layer',
        'relative movement',
        false,
        ['hidden layer ‖W − W₀‖/‖W₀‖', 'output layer ‖a − a₀‖/‖a₀‖'],
      ),
    );
  }
  return { title: input.title, config: FIGURE_CONFIG, vconcat: panels, resolve: { scale: { color: 'independent' } } } as unknown as FigureSpec;
}
