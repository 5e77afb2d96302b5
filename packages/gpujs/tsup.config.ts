import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base';

// ESM only: the kernels run in browsers as well as in Node.
export default defineConfig(packageConfig({ format: ['esm'], entry: { index: 'src/index.ts', node: 'src/node.ts' } }));
