import { defineConfig } from 'vitest/config';

const conditions = ['@tower/source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  // The environment vitest loads global setup in (the template database's migrations import workspace packages).
  environments: { __vitest__: { resolve: { conditions, externalConditions: conditions } } },
  test: {
    include: ['{packages,workflows,services,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'test/bench/**', 'test/faults/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
