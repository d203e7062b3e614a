import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  { ignores: ['.next/', 'node_modules/', 'next-env.d.ts', 'bench-changes/'] },
  ...nextVitals,
  ...nextTypescript,
  {
    // CommonJS files (the standalone entry) load modules with require by definition.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];

export default config;
