import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The layers (README, "How the code is laid out"): services know nothing of their front-ends;
// the window and the preload see main only through shared/; electron only in main/shell and preload.
const ELECTRON = { name: 'electron', message: 'Only the thin shell (main/shell/) and preload/ may import electron.' };
const NODE_BUILTINS = {
  regex: '^node:',
  message: 'The window has no Node: shared/ and renderer/ run in the page.',
};
const FRONT_ENDS = {
  regex: '(^|/)(cli|ipc|demo|shell)/',
  message:
    'main/services is the use-case layer both front-ends call: it imports nothing from main/cli, main/ipc, main/demo or main/shell.',
};
const ONLY_SHARED = (...others) => ({
  // A path out of the folder into the other side; their own files and shared/ are fine.
  regex: `^(\\.\\./)+(${others.join('|')})/`,
  message:
    'preload/ and renderer/ import only from shared/ (the IPC contract, status words, error codes, field rules).',
});
const CONTRACT_TYPES_ONLY = {
  // The contract's schemas are zod: the renderer takes their types, never their values.
  regex: '(^|/)shared/contract',
  allowTypeImports: true,
  message: 'The renderer imports the IPC contract with `import type` only (its schemas would pull zod into the page).',
};
const SHARED_STAYS_SHARED = {
  regex: '(^|/)(main/(cli|ipc|demo|shell)|preload|renderer)/',
  message:
    'shared/ is below both sides: it imports nothing from main/cli, main/ipc, main/demo, main/shell, preload or renderer.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules: every file belongs to one of the tsconfig projects (tsconfig.json references
    // node, web and scripts), which the project service finds from the file's path.
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection ends the process);
      // fire-and-forget is written `void promise` with a comment saying why it is right there.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (an event handler) drops its rejection.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A new member of a union must be handled everywhere it is switched on: a `default` does not
      // count as handling it (write the missing cases, and a `never` check where the value comes from outside).
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // A fake (test/renderer's window API, a child process's mode) answers what its tests use and
    // sends the rest to one `default`: there a default does handle every other member.
    files: ['test/**/*.{ts,tsx,mjs}'],
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // The CLI, the IPC handlers and the demo site run on plain Node.
    files: ['main/**/*.ts'],
    ignores: ['main/shell/**', 'main/services/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [ELECTRON] }] },
  },
  {
    files: ['main/services/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [ELECTRON], patterns: [FRONT_ENDS] }] },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [ELECTRON], patterns: [NODE_BUILTINS, SHARED_STAYS_SHARED] },
      ],
    },
  },
  {
    // The preload builds the window's verbs from shared/api.ts over Electron's IPC.
    files: ['preload/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [ONLY_SHARED('main', 'renderer')] }] },
  },
  {
    // The renderer talks to main through window.alicloud only; it sees main's types through shared/.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ELECTRON,
            { name: 'zod', message: 'The page checks fields with shared/fields.ts; zod stays in main.' },
          ],
          patterns: [NODE_BUILTINS, ONLY_SHARED('main', 'preload'), CONTRACT_TYPES_ONLY],
        },
      ],
    },
  },
  {
    // React's rules of hooks (and the compiler's checks) for the window's code only.
    files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    rules: { ...reactHooks.configs.flat['recommended-latest'].rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The preload may import electron; it may not hand ipcRenderer or process to the page.
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='exposeInMainWorld'] > :nth-child(2)[type!='CallExpression']",
          message: 'Expose only the verbs built by createApi(), never ipcRenderer, a generic invoke or process.',
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'test/helpers/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
