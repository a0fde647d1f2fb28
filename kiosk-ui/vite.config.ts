import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Served by the hall server at /kiosk/; no CDN, no network at run time.
export default defineConfig({
  base: '/kiosk/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
});
