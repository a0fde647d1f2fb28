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
