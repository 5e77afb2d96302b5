/**
 * `@shallowscape/figures`: the figures of training runs, spectra, certificates, reproduced claims
 * and sweeps, as Vega-Lite specifications with their data inline, rendered to deterministic SVG
 * (in Node, without a canvas) or drawn interactively by Vega in a browser.
 *
 * @packageDocumentation
 */
export { compileFigure, renderSvg, type FigureSpec } from './render-svg';
export { FIGURE_CONFIG, PANEL_HEIGHT, PANEL_WIDTH, drawable } from './figure-style';
export { formatFigureNumber } from './format-figure-number';
export { trainingFigure, type TrainingFigureInput } from './training-figure';
export { LAW_TITLES, spectrumFigure, spectrumFigureData, type SpectrumFigureData } from './spectrum-figure';
export { certificateFigure, certificateFigureData, type CertificateFigureData } from './certificate-figure';
export { claimFigure, claimPanels, type ClaimPanel, type ClaimThreshold } from './claim-figure';
export { katexDistDirectory, katexStyles } from './katex-styles';
export { escapeHtml, escapeMath, reportHtml, textWithMath, type ReportDocument, type ReportSection, type ReportTable } from './report-html';
