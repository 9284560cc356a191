// Lint rules, including the layer rule DESIGN.md asks for (eslint/layers.js): a file may import
// only from the rooms its own room may see and the packages its runtime has (core never imports
// electron or a host; the renderer and shared never import node built-ins, native packages or the
// engine).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'coverage/', 'bench/.data/', 'test-results/', 'renderer/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*.js', 'eslint/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
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
    files: ['scripts/**', 'bin/**', 'eslint/**', '*.js', '*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    // One rule for every room, every import form and every package (eslint/layers.js).
    files: ['shared/**', 'electron/**', 'renderer/**'],
    plugins: { cairn: layers },
    rules: { 'cairn/layers': 'error' },
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
          selector:
            "MemberExpression[object.object.name='process'][object.property.name=/^std(out|err)$/][property.name='write']",
          message:
            'print through say(), warn() or sayData() from ./output.js, which keep control characters off the terminal.',
        },
      ],
    },
  },
);
