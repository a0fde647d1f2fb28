import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Served by the hall server at /kiosk/; no CDN, no network at run time.
// `npx vite` in this folder serves the UI with live reload against a running hall (HALL_URL).
const hall = process.env.HALL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/kiosk/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': hall, '/socket.io': { target: hall, ws: true } } },
});
