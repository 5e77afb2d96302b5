/**
 * Random-matrix theory: spectral laws (semicircle, Marchenko–Pastur), and later ensembles and
 * spectral distances.
 *
 * @packageDocumentation
 */
export { semicircleCdf, semicircleDensity } from './semicircle-law';
export { marchenkoPasturDensity, marchenkoPasturEdges, type MarchenkoPasturEdges } from './marchenko-pastur-law';
