import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', root: 'protocol', include: ['src/**/*.test.ts'] } },
      { test: { name: 'drivers', root: 'drivers', include: ['src/**/*.test.ts'], testTimeout: 20000 } },
      { test: { name: 'hall-server', root: 'hall-server', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30000, hookTimeout: 30000 } },
      { test: { name: 'kiosk-ui', root: 'kiosk-ui', include: ['src/**/*.test.ts'] } },
      { test: { name: 'display-ui', root: 'display-ui', include: ['src/**/*.test.ts'] } },
      { test: { name: 'counter-ui', root: 'counter-ui', include: ['src/**/*.test.ts'] } },
    ],
  },
});
