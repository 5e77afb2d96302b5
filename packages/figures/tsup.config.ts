import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base';

// ESM only: vega and vega-lite are ES modules.
export default defineConfig(packageConfig({ format: ['esm'] }));
