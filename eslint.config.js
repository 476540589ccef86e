// @ts-check
import tseslint from 'typescript-eslint';

const focusedOrSkipped = ['it', 'test', 'describe'].flatMap((object) =>
  ['skip', 'only', 'todo'].map((property) => ({
    object,
    property,
    message: 'A skipped or focused test proves nothing: fix it or delete it.',
  })),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.slipway/', 'coverage/', 'console/dist/', 'test-results/', 'tmp/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-properties': ['error', ...focusedOrSkipped],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['infra/local/**', 'test/**', 'infra/app.ts'],
    rules: { 'no-console': 'off' },
  },
);
