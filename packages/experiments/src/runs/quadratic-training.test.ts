import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Matrix, ShapeError, createRng, gaussianMatrix, nrm2 } from '@shallowscape/linalg';
import { QuadraticEmpiricalRisk, inputMoments, sampleInputs, sampleTeacher, teacherLabels } from '@shallowscape/model';
import { curvatureLearningRate } from '@shallowscape/optim';
import { FloatOverflowError } from './float-overflow-error';
import { quadraticProblem } from './quadratic-problem';
import { trainQuadratic } from './quadratic-training';
import { DEFAULT_QUADRATIC_TRAINING, type QuadraticTrainingConfig } from './quadratic-training-config';

const small: QuadraticTrainingConfig = { ...DEFAULT_QUADRATIC_TRAINING, d: 4, m: 4, n: 20, teacherWidth: 4 };

/** Drops the timing fields, the only ones that differ between two runs of one configuration. */
const withoutTiming = (output: { history: { elapsedMs: number[] } }): unknown => ({ ...output, history: { ...output.history, elapsedMs: [] } });

describe('quadraticProblem', () => {
  it('splits the seed into teacher, inputs, labels and init streams, in that order', () => {
    const problem = quadraticProblem(small);
    const root = createRng(small.seed);
    const teacherRng = root.split();
    const inputsRng = root.split();
    const teacher = sampleTeacher(4, 4, teacherRng);
    const x = sampleInputs(20, 4, 'gaussian', inputsRng);
    expect(problem.teacher!.data).toEqual(teacher.data);
    expect(problem.x.data).toEqual(x.data);
    expect(problem.y).toEqual(teacherLabels(x, teacher));
    expect(problem.moments).toEqual(inputMoments('gaussian'));
    // N does not move the teacher or the start.
    const more = quadraticProblem({ ...small, n: 30 });
    expect(more.teacher!.data).toEqual(problem.teacher!.data);
    expect(more.w0.data).toEqual(problem.w0.data);
  });

  it('refuses configurations that mean nothing, naming the field', () => {
    expect(() => quadraticProblem({ ...small, init: 'identity', m: 3 })).toThrow(/invalid init: "identity"/);
    expect(() => quadraticProblem({ ...small, labels: 'random', noise: 0.1, teacher: null, teacherWidth: null })).toThrow(/invalid noise/);
    expect(() => quadraticProblem({ ...small, n: 0 })).toThrow(InvalidArgumentError);
    expect(() => quadraticProblem({ ...small, teacherRank: 5 })).toThrow(/invalid teacherRank/);
    expect(() => quadraticProblem({ ...small, inputs: 'X.npy' })).toThrow(/data\.inputs/);
    expect(() => quadraticProblem({ ...small, inputs: 'X.npy' }, { inputs: new Matrix(20, 3) })).toThrow(ShapeError);
    expect(() => quadraticProblem({ ...small, objective: 'population', inputs: 'X.npy' }, { inputs: new Matrix(20, 4) })).toThrow(/invalid objective/);
  });
});

describe('trainQuadratic', () => {
  it('records the relative error at the history steps: each equals the final error of a run stopped there', async () => {
    const config = { ...small, steps: 40, historyEvery: 6 };
    const { output, relativeErrorHistory: relativeError } = await trainQuadratic(config);
    const { step } = output.history;
    expect(relativeError).toHaveLength(step.length);
    expect(relativeError!.at(-1)).toBe(output.final.relativeError);
    for (const k of [6, 12]) {
      const index = step.indexOf(k);
      expect(index).toBeGreaterThan(0);
      const stopped = await trainQuadratic({ ...config, steps: k });
      expect(stopped.output.final.step).toBe(k);
      expect(relativeError![index]).toBe(stopped.output.final.relativeError);
    }
    const noTeacher = await trainQuadratic({ ...small, labels: 'random', teacher: null, teacherWidth: null });
    expect(noTeacher.relativeErrorHistory).toBeNull();
    expect(Object.keys(output.history).sort()).toEqual(['elapsedMs', 'gradientNorm', 'risk', 'step']);
  });

  it('recovers the teacher above N* and reports metrics that an independent evaluation reproduces', async () => {
    const { output, weights, problem } = await trainQuadratic(small);
    expect(output.converged).toBe(true);
    expect(output.final.relativeError!).toBeLessThan(1e-6);
    const risk = new QuadraticEmpiricalRisk(problem.x, problem.y, 4);
    expect(output.final.empiricalRisk).toBe(risk.risk(weights));
    expect(output.config).toMatchObject({ learningRate: 1, learningRateSource: 'default', lineSearch: 'strong-wolfe', tolSource: 'relative-default' });
    expect(output.config.tol).toBe(1e-10 * nrm2(risk.gradient(problem.w0.data)));
    expect('certify' in output.config).toBe(false);
    expect(output.certificate).toBeUndefined();
  });

  it('is bit-for-bit deterministic apart from timing', async () => {
    const [a, b] = [await trainQuadratic({ ...small, optimizer: 'adam', steps: 50 }), await trainQuadratic({ ...small, optimizer: 'adam', steps: 50 })];
    expect(withoutTiming(a.output)).toEqual(withoutTiming(b.output));
    expect(a.weights.data).toEqual(b.weights.data);
  });

  it('momentum takes 1/λ̂ from the curvature at W₀ and at W₀ rescaled to the labels', async () => {
    const config = { ...small, optimizer: 'momentum' as const, steps: 5 };
    const { output, problem } = await trainQuadratic(config);
    const objective = new QuadraticEmpiricalRisk(problem.x, problem.y, 4);
    const w0 = problem.w0.data;
    const tau = Math.sqrt(problem.y.reduce((s, v) => s + v * v, 0) / problem.y.length);
    const w0Square = w0.reduce((s, v) => s + v * v, 0);
    const reference = w0.map((v) => v * Math.sqrt(tau / w0Square));
    expect(output.config.learningRateSource).toBe('curvature-estimate');
    expect(output.config.learningRate).toBe(curvatureLearningRate(objective, [w0, reference]));
  });

  it('stops at the next iterate when aborted, keeping what it reached and skipping the certificate', async () => {
    const controller = new AbortController();
    const { output } = await trainQuadratic({ ...small, optimizer: 'gd', learningRate: 1e-4, steps: 100000, certify: true }, {}, {
      signal: controller.signal,
      onStep: (info) => {
        if (info.step === 3) controller.abort();
      },
    });
    expect(output.stopReason).toBe('interrupted');
    expect(output.final.step).toBe(3);
    expect(output.certificate).toBeUndefined();
  });

  it('certifies the result when asked', async () => {
    const { output } = await trainQuadratic({ ...small, certify: true });
    expect(output.certificate!.globalOptimality.certified).toBe(true);
    expect(output.certificate!.sampleCondition.holds).toBe(true);
  });

  it('reports finite data that overflow float64 as such, naming the source', async () => {
    const x = gaussianMatrix(20, 4, createRng(3), 1e80);
    await expect(trainQuadratic({ ...small, inputs: 'X.npy' }, { inputs: x })).rejects.toThrow(FloatOverflowError);
    const error = (await trainQuadratic({ ...small, inputs: 'X.npy' }, { inputs: x }).catch((e: unknown) => e)) as FloatOverflowError;
    expect(error.sources).toEqual(['inputs']);
    expect(error.message).toMatch(/overflow float64 arithmetic/);
  });
});
