/**
 * Input loading shared by `eval` and `certify`: the required `--weights`, `--data` and
 * `--labels` files with their shape checks, and the quadratic-only `--teacher` and
 * `--output-signs` files.
 */
import { Matrix, ShapeError } from '@shallowscape/linalg';
import { balancedSigns } from '@shallowscape/model';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { readMatrixFile, readVectorFile } from '../io/matrix-file';
import { describeFile, readSignsFile, requireFlag } from './eval';

/** The paths of the three required input files. */
export interface SampleInputPaths {
  /** `--weights`: the hidden weights W, m×d. */
  weights: string;
  /** `--data`: the inputs X, N×d. */
  data: string;
  /** `--labels`: the labels y, length N. */
  labels: string;
}

/** The three required inputs, read and shape-checked. */
export interface SampleInputs {
  /** Hidden weights $W$, m×d with $m, d \ge 1$. */
  w: Matrix;
  /** Inputs $X$, N×d with $N \ge 1$. */
  x: Matrix;
  /** Labels $y$, length N. */
  y: Float64Array;
}

/**
 * Checks that `--weights`, `--data` and `--labels` are given and that `--output-signs` comes
 * only with `--model signed-quadratic`.
 *
 * @param ctx - the command context (for the `--help` hint).
 * @param flags - the parsed flags.
 * @returns the three paths.
 * @throws {@link UsageError} for a missing required flag or a stray `--output-signs`.
 */
export function requireSampleInputFlags(
  ctx: CommandContext,
  flags: { model: string; weights?: string | undefined; data?: string | undefined; labels?: string | undefined; 'output-signs'?: string | undefined },
): SampleInputPaths {
  const weights = requireFlag(ctx, 'weights', flags.weights, '<file>');
  const data = requireFlag(ctx, 'data', flags.data, '<file>');
  const labels = requireFlag(ctx, 'labels', flags.labels, '<file>');
  if (flags['output-signs'] !== undefined && flags.model !== 'signed-quadratic') {
    throw new UsageError(
      `--output-signs applies only to --model signed-quadratic (got --model ${flags.model}); see '${ctx.commandPath} --help'`,
      '--output-signs',
    );
  }
  return { weights, data, labels };
}

/**
 * Reads $W$ (m×d), $X$ (N×d) and $y$ (length N) and checks that they fit together.
 *
 * @param paths - the `--weights`, `--data` and `--labels` files.
 * @param needsSamples - the end of the N = 0 message
 *   (`'the empirical risk needs at least one'`).
 * @returns $W$, $X$ and $y$.
 * @throws {@link ShapeError} for $m = 0$ or $d = 0$, mismatched $d$, $N = 0$ or one label per
 *   sample not holding; the file readers' errors for malformed or non-finite files.
 */
export function readSampleInputs(paths: SampleInputPaths, needsSamples: string): SampleInputs {
  const w = readMatrixFile(paths.weights, '--weights');
  const x = readMatrixFile(paths.data, '--data');
  const y = readVectorFile(paths.labels, '--labels');
  if (w.rows === 0 || w.cols === 0) {
    throw new ShapeError(`${describeFile('--weights', paths.weights, w)}: the network needs at least one hidden unit and one input (m, d ≥ 1)`, '--weights');
  }
  if (x.cols !== w.cols) {
    throw new ShapeError(
      `${describeFile('--weights', paths.weights, w)} (d = ${w.cols}) but ${describeFile('--data', paths.data, x)} (d = ${x.cols}): both need d columns`,
      '--data',
    );
  }
  if (x.rows === 0) throw new ShapeError(`${describeFile('--data', paths.data, x)}: no samples (N = 0); ${needsSamples}`, '--data');
  if (y.length !== x.rows) {
    throw new ShapeError(
      `--labels ${JSON.stringify(paths.labels)} has ${y.length} entries, but ${describeFile('--data', paths.data, x)} (N = ${x.rows}): one label per sample`,
      '--labels',
    );
  }
  return { w, x, y };
}

/**
 * Reads the optional `--teacher` $W^*$ ($m^* \times d$) and, for `--model signed-quadratic`,
 * the output signs $v \in \{\pm 1\}^m$ (`--output-signs`, default: first $\lceil m/2 \rceil$ are $+1$).
 *
 * @param flags - the parsed flags.
 * @param w - the hidden weights $W$ (m×d), already read.
 * @param weightsPath - the `--weights` file, for messages.
 * @returns the teacher and the signs, each present only when it applies.
 * @throws {@link ShapeError} for a teacher with no rows or other than d columns, or signs of
 *   length other than m; {@link FileFormatError} for a sign other than ±1.
 */
export function readTeacherAndSigns(
  flags: { model: string; teacher?: string | undefined; 'output-signs'?: string | undefined },
  w: Matrix,
  weightsPath: string,
): { teacher?: Matrix; signs?: Float64Array } {
  let teacher: Matrix | undefined;
  if (flags.teacher !== undefined) {
    teacher = readMatrixFile(flags.teacher, '--teacher');
    if (teacher.rows === 0 || teacher.cols !== w.cols) {
      throw new ShapeError(
        `${describeFile('--teacher', flags.teacher, teacher)}${teacher.rows === 0 ? ' (no rows)' : ` (d = ${teacher.cols})`} but ` +
          `${describeFile('--weights', weightsPath, w)} (d = ${w.cols}): the teacher needs at least one row and d columns`,
        '--teacher',
      );
    }
  }
  let signs: Float64Array | undefined;
  if (flags.model === 'signed-quadratic') {
    const signsPath = flags['output-signs'];
    signs = signsPath === undefined ? balancedSigns(w.rows) : readSignsFile(signsPath, '--output-signs', w.rows, describeFile('--weights', weightsPath, w));
  }
  return { ...(teacher !== undefined ? { teacher } : {}), ...(signs !== undefined ? { signs } : {}) };
}
