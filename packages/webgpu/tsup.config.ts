import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base';

// ESM only: the package runs in browsers as well as in Node.
export default defineConfig(packageConfig({ format: ['esm'] }));
