import tseslint from 'typescript-eslint';

// Layer rules (see shared/ARCHITECTURE.md): a wrong import fails `npm run lint`.
const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'url', 'events', 'stream', 'worker_threads', 'util', 'dgram', 'tls', 'zlib'];
const noNode = nodeBuiltins.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'resources/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...noNode, 'electron', 'react', 'better-sqlite3', 'ws'], patterns: [{ group: ['**/electron/**', '**/renderer/**', '**/server/**'], message: 'shared/ imports nothing of ours outside shared/.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...noNode, 'electron', 'better-sqlite3', 'ws'], patterns: [{ group: ['**/electron/**', '**/server/**'], message: 'The renderer talks to the core only through the shared contract (window.calldesk).' }] }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core and the browser host run without Electron: take what you need through an adapter.' }], patterns: [{ group: ['**/renderer/**', '**/server/**'], message: 'The core imports shared/ and Node only.' }] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'The server imports shared/ and Node only.' }] }],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'test/**/*.{ts,tsx}'],
    rules: { 'no-console': 'off' },
  },
);
