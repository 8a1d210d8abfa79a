/**
 * Once per e2e run: a production build (`vite build`) served by `vite preview` on a free port. The tests get
 * its URL through `inject('baseURL')`; teardown closes the server.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    /** The built studio's folder, for tests that serve it themselves (e.g. without COOP/COEP headers). */
    distDir: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(import.meta.dirname, '..');
  const outDir = resolve(root, '.tmp/e2e-dist'); // not dist/: `npm start` may be serving that
  const t0 = Date.now();
  // The build runs as its own process, as a user's `vite build` does: inside vitest NODE_ENV is 'test', and an
  // in-process build would bundle React's development build.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')));
  execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: root, env, stdio: 'inherit' });
  const port = await freePort();
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { port, strictPort: true, host: '127.0.0.1' } });
  const url = `http://127.0.0.1:${port}/`;
  console.log(`e2e: built in ${((Date.now() - t0) / 1000).toFixed(1)} s, serving ${url}`);
  project.provide('baseURL', url);
  project.provide('distDir', outDir);
  return async () => {
    await server.close();
  };
}
