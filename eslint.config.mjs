// ESLint flat config: type-aware rules, and libs reached only through their src/index.ts.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', '.data/**', '.cache/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-floating-promises': 'error',
      // SWC emits decorator metadata from written types only, so DTO fields keep explicit types.
      '@typescript-eslint/no-inferrable-types': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@switchboard/*/*'],
              message: 'Import a lib only through its public door: @switchboard/<lib>.',
            },
            {
              group: ['**/libs/*/src/*', '**/libs/*/src/**', '!**/libs/*/src/index'],
              message: 'Import a lib only through @switchboard/<lib> (its src/index.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Inside a lib, relative imports of its own files are fine; crossing into another lib is not.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@switchboard/*/*'], message: 'Import a lib only through @switchboard/<lib>.' },
            { group: ['../../*/src/*', '../../../*/src/*', '**/libs/*'], message: 'Import another lib only through @switchboard/<lib>.' },
          ],
        },
      ],
    },
  },
  {
    // Connectors see only the SDK.
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@switchboard/*', '!@switchboard/connector-sdk'], message: 'Connectors import only @switchboard/connector-sdk.' },
            { group: ['**/libs/**', '**/apps/**'], message: 'Connectors import only @switchboard/connector-sdk.' },
          ],
        },
      ],
    },
  },
  {
    // Connector tests drive the sandbox (its public door only); connector code still sees only the SDK.
    files: ['connectors/*/test/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@switchboard/*', '!@switchboard/connector-sdk'], message: 'Connectors import only @switchboard/connector-sdk.' },
            { group: ['**/libs/**', '**/apps/*', '**/apps/*/**', '!**/apps/sandbox', '!**/apps/sandbox/src'], message: 'Connector tests import only the SDK and apps/sandbox/src.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // JSON answers of the API under test are read loosely; the assertions check their shape.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
