/**
 * The input files of `eval` and `certify`: the required `--weights`, `--data` and `--labels` with
 * their shape checks, and the quadratic-only `--teacher` and `--output-signs`.
 *
 * @packageDocumentation
 */
import { Matrix, ShapeError } from '@shallowscape/linalg';
import { balancedSigns } from '@shallowscape/model';
import { UsageError } from '../errors';
import { FileFormatError } from '../io/file-format-error';
import { readMatrixFile, readVectorFile } from '../io/matrix-file';
import { describeFile } from './size-agreement';

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
 * Returns a required flag's value, or throws a {@link UsageError} naming it.
 *
 * @param commandPath - the command, for the `--help` hint.
 * @param flag - the flag without dashes.
 * @param value - its parsed value.
 * @param placeholder - its value's name in the message (`<file>`).
 * @throws {@link UsageError} when `value` is missing.
 * @example
 * ```ts
 * requireFlag('shallowscape eval', 'weights', 'W.npy', '<file>'); // => "W.npy"
 * ```
 */
export function requireFlag(commandPath: string, flag: string, value: string | undefined, placeholder: string): string {
  if (value === undefined) throw new UsageError(`missing required flag --${flag} ${placeholder}; see '${commandPath} --help'`, `--${flag}`);
  return value;
}

/**
 * Checks that `--weights`, `--data` and `--labels` are given and that `--output-signs` comes
 * only with `--model signed-quadratic`.
 *
 * @param commandPath - the command (for the `--help` hint).
 * @param flags - the parsed flags.
 * @returns the three paths.
 * @throws {@link UsageError} for a missing required flag or a stray `--output-signs`.
 */
export function requireSampleInputFlags(
  commandPath: string,
  flags: { model: string; weights?: string | undefined; data?: string | undefined; labels?: string | undefined; 'output-signs'?: string | undefined },
): SampleInputPaths {
  const weights = requireFlag(commandPath, 'weights', flags.weights, '<file>');
  const data = requireFlag(commandPath, 'data', flags.data, '<file>');
  const labels = requireFlag(commandPath, 'labels', flags.labels, '<file>');
  if (flags['output-signs'] !== undefined && flags.model !== 'signed-quadratic') {
    throw new UsageError(`--output-signs applies only to --model signed-quadratic (got --model ${flags.model}); see '${commandPath} --help'`, '--output-signs');
  }
  return { weights, data, labels };
}

/**
 * Reads $W$ (m×d), $X$ (N×d) and $y$ (length N) and checks that they fit together.
 *
 * @param paths - the `--weights`, `--data` and `--labels` files.
 * @param needsSamples - the end of the N = 0 message (`'the empirical risk needs at least one'`).
 * @returns $W$, $X$ and $y$.
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} for $m = 0$ or $d = 0$, mismatched $d$,
 *   $N = 0$ or one label per sample not holding; the file readers' errors for malformed or
 *   non-finite files.
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
 * Reads `--output-signs`: a vector of ±1 of length `width`.
 *
 * @throws {@link FileFormatError} for an entry other than ±1; {@link @shallowscape/linalg!ShapeError | ShapeError} for a wrong length.
 */
export function readSignsFile(path: string, flag: string, width: number, widthSource: string): Float64Array {
  const signs = readVectorFile(path, flag);
  const bad = signs.findIndex((s) => s !== 1 && s !== -1);
  if (bad !== -1) throw new FileFormatError(path, `entry [${bad}] is ${signs[bad]}, but output signs must be +1 or -1`, flag);
  if (signs.length !== width) {
    throw new ShapeError(`${flag} ${JSON.stringify(path)} has ${signs.length} entries, but ${widthSource} (m = ${width}): one sign per hidden unit`, flag);
  }
  return signs;
}

/**
 * Reads a teacher file (`--teacher`, $m^* \times d$) and checks it against the weights.
 *
 * @throws {@link @shallowscape/linalg!ShapeError | ShapeError} for a teacher with no rows or other than d columns.
 */
export function readTeacherFile(path: string, weightsPath: string, w: Matrix): Matrix {
  const teacher = readMatrixFile(path, '--teacher');
  if (teacher.rows === 0 || teacher.cols !== w.cols) {
    throw new ShapeError(
      `${describeFile('--teacher', path, teacher)}${teacher.rows === 0 ? ' (no rows)' : ` (d = ${teacher.cols})`} but ` +
        `${describeFile('--weights', weightsPath, w)} (d = ${w.cols}): the teacher needs at least one row and d columns`,
      '--teacher',
    );
  }
  return teacher;
}

/**
 * Reads the optional `--teacher` $W^*$ ($m^* \times d$) and, for `--model signed-quadratic`,
 * the output signs $v \in \{\pm 1\}^m$ (`--output-signs`, default: first $\lceil m/2 \rceil$ are $+1$).
 *
 * @param flags - the parsed flags.
 * @param w - the hidden weights $W$ (m×d), already read.
 * @param weightsPath - the `--weights` file, for messages.
 * @returns the teacher and the signs, each present only when it applies.
 */
export function readTeacherAndSigns(
  flags: { model: string; teacher?: string | undefined; 'output-signs'?: string | undefined },
  w: Matrix,
  weightsPath: string,
): { teacher?: Matrix; signs?: Float64Array } {
  const teacher = flags.teacher !== undefined ? readTeacherFile(flags.teacher, weightsPath, w) : undefined;
  let signs: Float64Array | undefined;
  if (flags.model === 'signed-quadratic') {
    const signsPath = flags['output-signs'];
    signs = signsPath === undefined ? balancedSigns(w.rows) : readSignsFile(signsPath, '--output-signs', w.rows, describeFile('--weights', weightsPath, w));
  }
  return { ...(teacher !== undefined ? { teacher } : {}), ...(signs !== undefined ? { signs } : {}) };
}
