import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base';

// Two bundles: the executable and the worker thread of `shallowscape sweep`.
export default defineConfig(
  packageConfig({
    entry: { index: 'src/index.ts', 'sweep-worker': 'src/sweep/sweep-worker.ts' },
    format: ['esm'],
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
  }),
);
