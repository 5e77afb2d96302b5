import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base';

export default defineConfig(
  packageConfig({ format: ['esm'], dts: false, banner: { js: '#!/usr/bin/env node' } }),
);
