import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * One vitest run over the whole workspace. Workspace packages resolve to their sources, so the
 * tests need no build; `.ci/run` sums the JSON report written to `reports/vitest.json`.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@shallowscape/linalg': src('./packages/linalg/src/index.ts'),
      '@shallowscape/model': src('./packages/model/src/index.ts'),
      '@shallowscape/optim': src('./packages/optim/src/index.ts'),
      '@shallowscape/rmt': src('./packages/rmt/src/index.ts'),
      '@shallowscape/certificates': src('./packages/certificates/src/index.ts'),
      '@shallowscape/experiments': src('./packages/experiments/src/index.ts'),
      '@shallowscape/figures': src('./packages/figures/src/index.ts'),
      '@shallowscape/test-utils': src('./tooling/test-utils/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tooling/*/src/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
