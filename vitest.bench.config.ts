/** The in-browser throughput bench (`npm run bench:browser`): the e2e setup (build + preview), bench files only. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'bench-browser',
    include: ['e2e/**/*.browser.ts'],
    globalSetup: ['e2e/globalSetup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
