import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Served by the hall server at /counter/; no CDN, no network at run time.
export default defineConfig({
  base: '/counter/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
});
