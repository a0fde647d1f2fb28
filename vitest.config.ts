import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const setupFiles = [fileURLToPath(new URL('./scripts/fast-check-setup.ts', import.meta.url))];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', root: 'protocol', include: ['src/**/*.test.ts'], setupFiles } },
      { test: { name: 'drivers', root: 'drivers', include: ['src/**/*.test.ts'], testTimeout: 20000, setupFiles } },
      { test: { name: 'hall-server', root: 'hall-server', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30000, hookTimeout: 30000, setupFiles } },
      { test: { name: 'kiosk-ui', root: 'kiosk-ui', include: ['src/**/*.test.ts'], setupFiles } },
      { test: { name: 'display-ui', root: 'display-ui', include: ['src/**/*.test.ts'], setupFiles } },
      { test: { name: 'counter-ui', root: 'counter-ui', include: ['src/**/*.test.ts'], setupFiles } },
    ],
  },
});
