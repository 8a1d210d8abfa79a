import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Cross-origin isolation (SharedArrayBuffer for WebAssembly's threads, precise timers) in dev and in preview alike.
// Static hosts that set no headers get them from coi-serviceworker (index.html).
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const wasmDir = join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
const wasmVersion = (JSON.parse(readFileSync(join(wasmDir, '..', 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Files served exactly as their packages ship them, outside the bundle (site path → file):
 * - tfjs-backend-wasm's prebuilt script and binaries: its threaded build only works unminified by us
 *   (src/backend/browser.ts says why); the folder is versioned so a browser cache never mixes releases;
 * - coi-serviceworker, which must sit at the site's root to cover every page and worker.
 */
const PACKAGE_FILES: Record<string, string> = {
  ...Object.fromEntries(
    ['tf-backend-wasm.es2017.min.js', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => [
      `vendor/tfjs-backend-wasm@${wasmVersion}/${f}`,
      join(wasmDir, f),
    ]),
  ),
  'coi-serviceworker.js': join(packageDir('coi-serviceworker'), 'coi-serviceworker.min.js'),
};

function packageFiles(files: Record<string, string>): Plugin {
  const type = (path: string) => (path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
  return {
    name: 'package-files',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0].slice(server.config.base.length);
        const file = files[path];
        if (!file) return next();
        res.setHeader('Content-Type', type(path));
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const [fileName, file] of Object.entries(files)) this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
    },
  };
}

export default defineConfig({
  plugins: [react(), packageFiles(PACKAGE_FILES)],
  worker: { format: 'es' }, // the engine worker is an ES module (it imports tfjs)
  // pre-bundled up front: discovering them on first load reloads the page mid-session (and mid-test)
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'] },
  server: { headers },
  preview: { headers },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
