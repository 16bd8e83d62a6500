import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// The layering (docs/architecture.md, "Layers") is enforced here, not only
// described: the engine's pure modules import no framework, platform or
// terminal library; React components import nothing that is server-only;
// tests do not import the benchmarks.

const root = path.dirname(new URL(import.meta.url).pathname);

const markedServerOnly = new Map();

/** Whether the file an import names (`@/x` or relative) is one of ours marked server-only. */
function isServerOnly(spec, fromFile) {
  const target = resolveLocal(spec, fromFile);
  if (!target) return false;
  let marked = markedServerOnly.get(target.file);
  if (marked === undefined) {
    marked = SERVER_ONLY.test(target.text);
    markedServerOnly.set(target.file, marked);
  }
  return marked;
}

/** The file an import names (`@/x` or relative), if it is one of ours. */
function resolveLocal(spec, fromFile) {
  let base;
  if (spec.startsWith('@/')) base = path.join(root, spec.slice(2));
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(fromFile), spec);
  else return null;
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    `${base}/index.ts`,
    `${base}/index.tsx`,
  ]) {
    if (existsSync(candidate) && !candidate.endsWith('/')) {
      try {
        return { file: candidate, text: readFileSync(candidate, 'utf8') };
      } catch {
        // A directory: try the next candidate.
      }
    }
  }
  return null;
}

const SERVER_ONLY = /^import ['"]server-only['"];?$/m;

/** `components/` never imports a module marked `import 'server-only'` (types are fine). */
const noServerOnly = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    return {
      ImportDeclaration(node) {
        if (node.importKind === 'type') return;
        const spec = node.source.value;
        if (spec === 'server-only' || spec.startsWith('node:')) {
          context.report({
            node,
            message: `components/ must not import ${spec}: it is server-side`,
          });
          return;
        }
        if (isServerOnly(spec, context.filename)) {
          context.report({
            node,
            message: `${spec} is server-only: a page or route handler fetches the data and passes it as props`,
          });
        }
      },
    };
  },
};

const PURE_ENGINE = {
  patterns: [
    {
      group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'next', 'next/*'],
      message: 'lib/tlog and lib/replay are pure TypeScript: no React or Next.js',
    },
    {
      group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'stream', 'buffer'],
      message: 'lib/tlog and lib/replay run in the browser and in workers too: no Node modules',
    },
    {
      group: ['@xterm/*'],
      message: 'the engine knows no terminal library: xterm.js code goes in lib/replay/adapters',
    },
    {
      group: [
        '@elastic/*',
        'server-only',
        '**/lib/sources',
        '**/lib/sources/*',
        '**/components/**',
      ],
      message: 'lib/tlog and lib/replay depend on nothing above them',
    },
  ],
};
const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'location',
  'requestAnimationFrame',
  'HTMLElement',
  'process',
  'Buffer',
  'require',
].map((name) => ({
  name,
  message: 'lib/tlog and lib/replay are pure: inject what touches the platform (see clock.ts)',
}));

const config = [
  ...next,
  ...nextTs,
  {
    rules: {
      // `_name` marks a value destructured away on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['lib/tlog/**', 'lib/replay/**'],
    ignores: ['lib/replay/adapters/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', PURE_ENGINE],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['components/**'],
    plugins: { auditty: { rules: { 'no-server-only': noServerOnly } } },
    rules: { 'auditty/no-server-only': 'error' },
  },
  {
    files: ['tests/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/bench/**'],
              message: 'tests do not import bench/: share through tests/support',
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures call `use`, which is not React's hook.
    files: ['tests/e2e/**', 'bench/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  {
    ignores: [
      '.next/**',
      '.es/**',
      'node_modules/**',
      'next-env.d.ts',
      'bench/data/**',
      'test-results/**',
    ],
  },
];

export default config;
