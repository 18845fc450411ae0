import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: {
      // `server-only` throws outside Next's server bundle; the tests run the real modules in Node.
      'server-only': fileURLToPath(new URL('./node_modules/server-only/empty.js', import.meta.url)),
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/multiprocess/**/*.test.ts'],
    environment: 'node',
    // Generous: the multi-process suites start real processes, and a 2-core machine shared with a build
    // can take several times its quiet duration. A timeout is a hang detector here, not a speed check.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
