// The benchmark suites, in run order. To add one, write suites/NAME.mjs exporting a default
// Suite (see run.mjs) and list it here.
import gemm from './gemm.mjs';
import eigh from './eigh.mjs';
import svd from './svd.mjs';
import gram from './gram.mjs';
import quadraticRisk from './quadratic-risk.mjs';
import reluRisk from './relu-risk.mjs';
import spectrum from './spectrum.mjs';
import certificate from './certificate.mjs';
import threads from './threads.mjs';
import sweep from './sweep.mjs';
import figures from './figures.mjs';
import gpu from './gpu.mjs';

export const suites = [gemm, gram, eigh, svd, quadraticRisk, reluRisk, spectrum, certificate, threads, sweep, figures, gpu];
