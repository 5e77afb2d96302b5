import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base';

// ESM only: the addon is found from `import.meta.url` (dist/ and src/ both sit one level below the package root).
export default defineConfig(packageConfig({ format: ['esm'] }));
