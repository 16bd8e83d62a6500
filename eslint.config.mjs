import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...next,
  ...nextTs,
  { ignores: ['.next/**', '.es/**', 'node_modules/**', 'next-env.d.ts', 'bench/data/**', 'test-results/**'] },
];

export default config;
