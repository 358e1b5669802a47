import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** The fault suite (`pnpm test:faults`): real processes, a Redis of its own; not part of `pnpm test`. */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/faults/**/*.fault.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
