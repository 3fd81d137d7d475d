import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only the thin shell (main/shell/, preload/) may import electron.' }],
  patterns: [],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Services, the CLI and the demo site run on plain Node.
    files: ['main/**/*.ts'],
    ignores: ['main/shell/**'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInShell] },
  },
  {
    // The renderer never reaches into main/ (it talks through the preload contract, types only).
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer has no Electron or Node; use window.api.' }],
          patterns: [{ group: ['**/main/**', '../main/*', '../../main/*'], message: 'renderer/ may not import main/.' }],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'test/helpers/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
