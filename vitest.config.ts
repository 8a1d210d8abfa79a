import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // tfjs backends are process-global; test files run in separate forks, their tests in order
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'app/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          // one production build + `vite preview` for the whole e2e run; only when e2e tests are selected
          globalSetup: ['e2e/globalSetup.ts'],
          // one Chromium at a time: software WebGPU and wasm need the CPU cores to themselves
          fileParallelism: false,
        },
      },
    ],
  },
});
