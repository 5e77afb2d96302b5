import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Tests that drive the system's chromium (`*.browser.test.ts`): their own project, `browser`. */
const BROWSER_TESTS = ['packages/*/src/**/*.browser.test.ts', 'apps/*/src/**/*.browser.test.ts', 'apps/*/test/**/*.browser.test.ts', 'tooling/bench/**/*.browser.test.ts'];

/**
 * One vitest run over the whole workspace, in two projects: `unit` (everything that needs no
 * browser; `pnpm test:unit`) and `browser` (the docs site and the reports in headless chromium).
 * Workspace packages resolve to their sources, so the tests need no build; `.ci/run` sums the
 * JSON report written to `reports/vitest.json`.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@shallowscape/linalg': src('./packages/linalg/src/index.ts'),
      '@shallowscape/linalg-native': src('./packages/linalg-native/src/index.ts'),
      '@shallowscape/model': src('./packages/model/src/index.ts'),
      '@shallowscape/optim': src('./packages/optim/src/index.ts'),
      '@shallowscape/rmt': src('./packages/rmt/src/index.ts'),
      '@shallowscape/certificates': src('./packages/certificates/src/index.ts'),
      '@shallowscape/experiments': src('./packages/experiments/src/index.ts'),
      '@shallowscape/figures': src('./packages/figures/src/index.ts'),
      '@shallowscape/gpujs/node': src('./packages/gpujs/src/node.ts'),
      '@shallowscape/gpujs': src('./packages/gpujs/src/index.ts'),
      '@shallowscape/webgpu/node': src('./packages/webgpu/src/node.ts'),
      '@shallowscape/webgpu': src('./packages/webgpu/src/index.ts'),
      '@shallowscape/test-utils': src('./tooling/test-utils/src/index.ts'),
    },
  },
  test: {
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    testTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tooling/*/src/**/*.test.ts', 'tooling/bench/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...BROWSER_TESTS],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: BROWSER_TESTS, testTimeout: 240_000, hookTimeout: 240_000 },
      },
    ],
  },
});
