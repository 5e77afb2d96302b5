/**
 * Random-matrix theory: ensembles (Wishart, centred Wishart, GOE, with Dumitriu–Edelman
 * tridiagonal spectra), spectral laws (semicircle, Marchenko–Pastur) and distances between an
 * empirical spectrum and a law (Kolmogorov–Smirnov, Wasserstein-1).
 *
 * @packageDocumentation
 */
export { semicircleCdf, semicircleDensity, semicircleMoment, semicircleQuantile } from './semicircle-law';
export {
  marchenkoPasturCdf,
  marchenkoPasturDensity,
  marchenkoPasturEdges,
  marchenkoPasturMoment,
  marchenkoPasturQuantile,
  type MarchenkoPasturEdges,
} from './marchenko-pastur-law';
export {
  centeredWishartMatrix,
  goeMatrix,
  goeSpectrum,
  normalizeGoeSpectrum,
  normalizeSpectrum,
  wishartMatrix,
  wishartSpectrum,
  type NormalizeSpectrumOptions,
  type SpectrumMethod,
  type SpectrumNormalization,
  type SpectrumOptions,
} from './ensembles';
export {
  empiricalCdf,
  histogram,
  kolmogorovSmirnovDistance,
  ksToMarchenkoPastur,
  ksToSemicircle,
  wasserstein1Distance,
  wasserstein1ToMarchenkoPastur,
  wasserstein1ToSemicircle,
  type CumulativeDistribution,
  type Histogram,
  type HistogramOptions,
} from './spectral-distance';
