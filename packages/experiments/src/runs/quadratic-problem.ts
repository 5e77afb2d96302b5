/**
 * The data of a quadratic training run: the teacher, inputs, labels and starting weights,
 * generated from the run's seed (or taken from its data) after the configuration is checked.
 *
 * @packageDocumentation
 */
import { InvalidArgumentError, Matrix, ShapeError, checkPositiveInteger, createRng, type Rng } from '@shallowscape/linalg';
import {
  balancedSigns,
  gaussianInit,
  identityInit,
  inputMoments,
  randomLabels,
  sampleInputs,
  sampleTeacher,
  smallInit,
  teacherLabels,
  type InputDistribution,
} from '@shallowscape/model';
import { INIT_KINDS, INPUT_KINDS, LABEL_KINDS, type QuadraticTrainingConfig, type QuadraticTrainingData } from './quadratic-training-config';

/** Everything a quadratic run trains on. */
export interface QuadraticProblem {
  /** Inputs $X$, $N \times d$. */
  x: Matrix;
  /** Labels $y$, length $N$. */
  y: Float64Array;
  /** Teacher $W^*$ ($m^* \times d$), or `null`. */
  teacher: Matrix | null;
  /** Starting weights $W_0$, $m \times d$. */
  w0: Matrix;
  /** Output signs $v$ of a signed model (first $\lceil m/2 \rceil$ are $+1$), or `null`. */
  signs: Float64Array | null;
  /** Second and fourth moments of the input coordinates (Gaussian for file inputs). */
  moments: { mu2: number; mu4: number };
}

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** Checks that a file-given matrix has the configured shape. */
function checkShape(name: string, matrix: { rows: number; cols: number }, rows: number, cols: number): void {
  if (matrix.rows !== rows || matrix.cols !== cols) {
    throw new ShapeError(`${name} is ${matrix.rows}×${matrix.cols}, but the configuration needs ${rows}×${cols}`, name);
  }
}

/** The matrix a file-named field takes from `data`, or a typed error when it is missing. */
function fromData<T>(field: string, value: T | undefined, fileName: string): T {
  if (value === undefined) throw new InvalidArgumentError(field, fileName, `a generator name, or a file whose contents are given as data.${field}`);
  return value;
}

/**
 * Checks a quadratic training configuration against itself and its data, naming the field.
 *
 * @param config - the run.
 * @param data - the matrices of the fields that name files.
 * @throws `InvalidArgumentError` for a size below 1, a combination that means nothing (noise
 *   without teacher labels, a population objective without a teacher or with file inputs, a rank
 *   above $\min(m^*, d)$, an identity start with $m < d$) or a file field without its data;
 *   `ShapeError` for data of another shape than the sizes.
 * @example
 * ```ts
 * const config = { ...DEFAULT_QUADRATIC_TRAINING, d: 3, m: 3, n: 12, teacherWidth: 3 };
 * checkQuadraticTrainingConfig(config, {}) === undefined; // => true
 * ```
 */
export function checkQuadraticTrainingConfig(config: QuadraticTrainingConfig, data: QuadraticTrainingData): void {
  const { d, m, n } = config;
  checkPositiveInteger('d', d);
  checkPositiveInteger('m', m);
  checkPositiveInteger('n', n);
  const labelsKind = isOneOf(LABEL_KINDS, config.labels) ? config.labels : null;
  if (config.teacher === null) {
    if (config.teacherWidth !== null) throw new InvalidArgumentError('teacherWidth', config.teacherWidth, 'null without a teacher');
    if (labelsKind === 'teacher') throw new InvalidArgumentError('teacher', null, 'a teacher for labels "teacher"');
  } else {
    checkPositiveInteger('teacherWidth', config.teacherWidth ?? 0);
    if (config.teacher !== 'gaussian') checkShape('teacher', fromData('teacher', data.teacher, config.teacher), config.teacherWidth!, d);
  }
  if (config.teacherRank !== null) {
    const full = Math.min(config.teacherWidth ?? 0, d);
    if (config.teacher !== 'gaussian' || !Number.isInteger(config.teacherRank) || config.teacherRank < 1 || config.teacherRank > full) {
      throw new InvalidArgumentError('teacherRank', config.teacherRank, `an integer in [1, min(m*, d)] = [1, ${full}] with a Gaussian teacher`);
    }
  }
  if (!isOneOf(INPUT_KINDS, config.inputs)) checkShape('inputs', fromData('inputs', data.inputs, config.inputs), n, d);
  if (labelsKind === null) {
    const labels = fromData('labels', data.labels, config.labels);
    if (labels.length !== n) throw new ShapeError(`labels has ${labels.length} entries, but the configuration needs N = ${n}`, 'labels');
  }
  if (!(config.noise >= 0 && Number.isFinite(config.noise))) throw new InvalidArgumentError('noise', config.noise, 'a finite number ≥ 0');
  if (config.noise > 0 && labelsKind !== 'teacher') throw new InvalidArgumentError('noise', config.noise, '0 unless the labels are "teacher"');
  if (isOneOf(INIT_KINDS, config.init)) {
    if (config.initScale === null || !(config.initScale >= 0 && Number.isFinite(config.initScale))) {
      throw new InvalidArgumentError('initScale', config.initScale, 'a finite number ≥ 0 for a generated start');
    }
    if (config.init === 'identity' && m < d) throw new InvalidArgumentError('init', 'identity', `m ≥ d for W₀ = √m [I_d; 0], but m = ${m} < d = ${d}`);
  } else {
    checkShape('init', fromData('init', data.init, config.init), m, d);
  }
  if (config.objective === 'population' && (labelsKind !== 'teacher' || !isOneOf(INPUT_KINDS, config.inputs))) {
    throw new InvalidArgumentError('objective', 'population', 'teacher labels and generated inputs (the population risk needs the input moments)');
  }
}

function initialWeights(kind: (typeof INIT_KINDS)[number], m: number, d: number, scale: number, rng: Rng): Matrix {
  if (kind === 'identity') return identityInit(m, d, scale);
  if (kind === 'gaussian') return gaussianInit(m, d, rng, scale);
  return smallInit(m, d, rng, scale);
}

/**
 * Checks the configuration ({@link checkQuadraticTrainingConfig}) and builds the data of a run from
 * the streams split off `createRng(seed)` in the order teacher, inputs, labels (and their noise),
 * initialisation. Changing $N$ therefore changes neither the teacher nor the start.
 *
 * @param config - the run.
 * @param data - the matrices of the fields that name files.
 * @returns the teacher, inputs, labels, start, signs and input moments.
 * @throws as {@link checkQuadraticTrainingConfig}.
 * @example
 * ```ts
 * const config = { ...DEFAULT_QUADRATIC_TRAINING, d: 3, m: 3, n: 12, teacherWidth: 3 };
 * quadraticProblem(config, {}).x.rows; // => 12
 * ```
 */
export function quadraticProblem(config: QuadraticTrainingConfig, data: QuadraticTrainingData = {}): QuadraticProblem {
  checkQuadraticTrainingConfig(config, data);
  const { d, m, n } = config;
  const inputsKind = isOneOf(INPUT_KINDS, config.inputs) ? (config.inputs as InputDistribution) : null;
  const root = createRng(config.seed);
  const teacherRng = root.split();
  const inputsRng = root.split();
  const labelsRng = root.split();
  const initRng = root.split();
  let teacher: Matrix | null = null;
  if (config.teacher === 'gaussian') teacher = sampleTeacher(config.teacherWidth!, d, teacherRng, config.teacherRank !== null && config.teacherRank < Math.min(config.teacherWidth!, d) ? { rank: config.teacherRank } : {});
  else if (config.teacher !== null) teacher = data.teacher!;
  const x = inputsKind === null ? data.inputs! : sampleInputs(n, d, inputsKind, inputsRng);
  let y: Float64Array;
  if (config.labels === 'random') y = randomLabels(n, labelsRng);
  else if (config.labels === 'teacher') y = teacherLabels(x, teacher!, config.noise > 0 ? { noise: config.noise, rng: labelsRng } : {});
  else y = data.labels!;
  const w0 = isOneOf(INIT_KINDS, config.init) ? initialWeights(config.init, m, d, config.initScale!, initRng) : data.init!;
  return {
    x,
    y,
    teacher,
    w0,
    signs: config.model === 'signed-quadratic' ? balancedSigns(m) : null,
    moments: inputMoments(inputsKind ?? 'gaussian'),
  };
}
