// Lint = type-aware basics + the architecture's import boundaries (DESIGN.md "Layout").
import tseslint from 'typescript-eslint';

// Bare builtin names are exact paths: as gitignore-style patterns they would match './events'.
const NODE_BUILTINS = ['node:*'];
const BARE_BUILTINS = ['fs', 'fs/promises', 'path', 'os', 'net', 'http', 'https', 'crypto', 'child_process', 'events', 'stream', 'url', 'util', 'zlib', 'timers', 'worker_threads'];

const restrict = (patterns, message, paths = []) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message })), patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['protocol/src/**/*.ts'],
    rules: restrict([...NODE_BUILTINS, '@hall/*', 'serialport', 'express', 'socket.io*', 'preact', 'preact/*'], 'protocol depends on zod only', BARE_BUILTINS),
  },
  {
    files: ['hall-server/src/queue/**/*.ts'],
    ignores: ['hall-server/src/queue/**/*.test.ts'],
    rules: restrict([...NODE_BUILTINS, '../journal*', '../config*', '../http*', '../realtime*', '../devices*', '../app*', 'express', 'socket.io', 'lowdb', 'lowdb/*', 'pino', '@hall/drivers'], 'the queue engine is pure: no I/O, no clock, no other server layers', BARE_BUILTINS),
  },
  // The server's own layers: edges (http, realtime) go through app-level ports, never into the
  // journal or the device manager's insides; the core (app, journal, config, auth) knows no edge.
  {
    files: ['hall-server/src/http/**/*.ts', 'hall-server/src/realtime/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['../journal', '../journal/*', '../devices', '../devices/*', '../main', '../queue/*', '../config/*', '@hall/drivers', '@hall/drivers/*'], 'http and realtime reach the core through app/ ports and the queue and config indexes, never journal or device internals'),
  },
  {
    files: ['hall-server/src/app/**/*.ts', 'hall-server/src/auth/**/*.ts', 'hall-server/src/config/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['../http', '../http/*', '../realtime', '../realtime/*', '../devices', '../devices/*', '../main', '../journal/*'], 'the core does not know its edges (http, realtime, devices); the journal through its index'),
  },
  {
    files: ['hall-server/src/journal/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(['../app', '../app/*', '../http', '../http/*', '../realtime', '../realtime/*', '../devices', '../devices/*', '../config', '../config/*', '../queue', '../queue/*', '../main', '@hall/drivers'], 'the journal stores events; it knows nothing of what they mean'),
  },
  {
    files: ['hall-server/src/devices/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.bench.ts'],
    rules: restrict(['../journal', '../journal/*', '../main'], 'devices reach the core through app/ ports'),
  },
  {
    files: ['drivers/src/**/*.ts'],
    rules: restrict(['@hall/hall-server', '@hall/hall-server/*', '**/hall-server/**', 'express', 'socket.io', 'lowdb'], 'drivers never import the hall server'),
  },
  {
    files: ['kiosk-ui/src/**/*.{ts,tsx}', 'display-ui/src/**/*.{ts,tsx}', 'counter-ui/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/e2e*.ts'],
    rules: restrict([...NODE_BUILTINS, '@hall/hall-server', '@hall/hall-server/*', '@hall/drivers', '@hall/drivers/*', '**/hall-server/**', '**/drivers/**', 'express', 'serialport', 'lowdb'], 'UIs import only @hall/protocol (and preact, signals, socket.io-client)', BARE_BUILTINS),
  },
);
