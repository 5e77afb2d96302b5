import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base';

// ESM only: the main entry runs in browsers as well as in Node; `./node` adds Dawn's bindings.
export default defineConfig(packageConfig({ format: ['esm'], entry: { index: 'src/index.ts', node: 'src/node.ts' } }));
