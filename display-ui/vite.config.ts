import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Served by the hall server at /display/; no CDN, no network at run time.
export default defineConfig({
  base: '/display/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
});
