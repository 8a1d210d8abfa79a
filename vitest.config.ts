import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // tfjs backends are process-global; test files run in separate forks, their tests in order
    pool: 'forks',
  },
});
