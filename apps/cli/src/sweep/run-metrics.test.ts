import { describe, expect, it } from 'vitest';
import { runMetrics } from './run-metrics';

describe('runMetrics', () => {
  it('promotes final, flattens other objects with dots, leaves out config, history and arrays', () => {
    const output = {
      certificate: { energyBarrier: { barrier: 2, belowBarrier: false }, stationarity: { gradientNorm: 1 } },
      config: { d: 4 },
      converged: true,
      final: { empiricalRisk: 1e-20, relativeError: null, step: 7 },
      history: { step: [0, 7] },
      eigenvalues: [1, 2, 3],
      stopReason: 'gradient-tolerance',
    };
    const { metrics, history } = runMetrics(output);
    expect(metrics).toEqual({
      'certificate.energyBarrier.barrier': 2,
      'certificate.energyBarrier.belowBarrier': false,
      'certificate.stationarity.gradientNorm': 1,
      converged: true,
      empiricalRisk: 1e-20,
      relativeError: null,
      step: 7,
      stopReason: 'gradient-tolerance',
    });
    expect(history).toEqual({ step: [0, 7] });
  });

  it('gives nothing for output that is not an object', () => {
    expect(runMetrics([1, 2])).toEqual({ metrics: {}, history: null });
    expect(runMetrics(null)).toEqual({ metrics: {}, history: null });
  });
});
