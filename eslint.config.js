// Lint rules, including the layer rule DESIGN.md asks for: a file may import only from the rooms
// its own room is allowed to see (core never imports electron or main; renderer never imports
// node: or electron/; shared imports neither).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'coverage/', 'bench/.data/', 'test-results/', 'renderer/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Contract handlers are async by signature even when their work is synchronous.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript scripts: node globals, and no type-aware rules (they have no types to check).
    files: ['scripts/**', 'bin/**', '*.js', '*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    files: ['shared/**'],
    rules: restrict([
      { group: ['node:*', 'electron', 'electron/*', 'react', 'react-dom'], message: 'shared/ imports nothing of node, electron or the DOM.' },
      { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports neither side.' },
    ]),
  },
  {
    files: ['electron/core/**'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'core is plain Node: it never imports electron.' },
      { group: ['**/main/**', '**/preload/**', '**/server/**', '**/cli/**', '**/renderer/**'], message: 'core may not import its hosts.' },
    ]),
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: restrict([{ group: ['**/server/**', '**/cli/**', '**/renderer/**'], message: 'the desktop shell does not import other hosts.' }]),
  },
  {
    files: ['electron/server/**', 'electron/cli/**'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'headless hosts never import electron.' },
      { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'headless hosts do not import the desktop shell or the UI.' },
    ]),
  },
  {
    // Names in CLI output are anyone's text: human output leaves through output.ts's say()/warn()
    // (control characters escaped), JSON through sayData() (exact).
    files: ['electron/cli/**'],
    ignores: ['electron/cli/output.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.object.name='process'][object.property.name=/^std(out|err)$/][property.name='write']",
          message: 'print through say(), warn() or sayData() from ./output.js, which keep control characters off the terminal.',
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: restrict([
      { group: ['node:*', 'electron', 'electron/*', 'fs', 'path', 'child_process'], message: 'the renderer never imports node: or electron.' },
      { group: ['**/electron/**'], message: 'the renderer reaches the engine only through src/api.' },
    ]),
  },
);
