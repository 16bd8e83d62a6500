import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);
const resolve = {
  alias: {
    '@': root,
    'server-only': path.join(root, 'tests/support/server-only.ts'),
  },
};

export default defineConfig({
  test: {
    // Every core: vitest 4 ran one file at a time on this 2-core machine (unit
    // tests 100 s instead of 61 s). The integration project still runs its
    // files one after another (fileParallelism: false): they share a cluster.
    maxWorkers: availableParallelism(),
    projects: [
      {
        resolve,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
