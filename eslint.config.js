// @ts-check
import tseslint from 'typescript-eslint';

/** Layering (DESIGN §1): sip-stack and media-relay never import src, nor each other. */
const layerRule = (forbidden) => ({
  'no-restricted-imports': ['error', {
    patterns: forbidden.map((dir) => ({
      regex: `(^|/)${dir}(/|$)`,
      message: `layers import downward only: this layer must not import ${dir}/`,
    })),
  }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['sip-stack/**/*.ts'], rules: { ...layerRule(['src', 'media-relay']), '@typescript-eslint/no-explicit-any': 'error' } },
  { files: ['media-relay/**/*.ts'], rules: { ...layerRule(['src', 'sip-stack']), '@typescript-eslint/no-explicit-any': 'error' } },
);
