import { defineConfig } from 'vitest/config';

// The fault pass (`npm run test:faults`, issue 8): real server processes on real PostgreSQL under load,
// killed, restarted, with the database or the Dapr sidecar failing. It needs a PostgreSQL server and runs
// its files one after another, so their timings (and kill -9 moments) do not disturb each other.
if (!process.env.TEST_DATABASE_URL) {
  throw new Error('npm run test:faults needs TEST_DATABASE_URL (a PostgreSQL 15 server with trust auth)');
}

export default defineConfig({
  test: {
    include: ['apps/server/test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
