import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation (SharedArrayBuffer, precise timers) in dev and in preview alike.
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' }, // the engine worker is an ES module (it imports tfjs)
  // pre-bundled up front: discovering them on first load reloads the page mid-session (and mid-test)
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm'] },
  server: { headers },
  preview: { headers },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
