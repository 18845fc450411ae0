import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './tests/e2e/browser';

const PORT = Number(process.env.E2E_PORT ?? 3217);
/** A second server on a new database with the demo board, for the first-visitor test (tests/e2e/accounts.spec.ts). */
export const FRESH_PORT = PORT + 1;
const RUN = Date.now();
const DB = `test-results/e2e-${RUN}/flowboard.db`;
const FRESH_DB = `test-results/e2e-${RUN}-fresh/flowboard.db`;
const SERVER_ENV = { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1' };

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  // At most one retry on CI, with the trace kept, so a flaky test is seen rather than hidden.
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      command: 'node --import tsx server.ts',
      url: `http://127.0.0.1:${PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      // Every spec signs its people up: better-auth's 3-per-10-seconds throttle of sign-ups from one
      // address would make the suite wait, so it is off on this server only.
      // The seed token creates a 100-card board in a burst: the write rate limit is raised for it.
      env: {
        ...SERVER_ENV,
        PORT: String(PORT),
        FLOWBOARD_DB: DB,
        FLOWBOARD_SEED: 'false',
        FLOWBOARD_AUTH_RATE_LIMIT: 'false',
        FLOWBOARD_WRITE_RATE: '1000',
        FLOWBOARD_WRITE_BURST: '1000',
        // Webhook receivers of tests/e2e/integrations.spec.ts listen on 127.0.0.1.
        FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true',
      },
    },
    {
      command: 'node --import tsx server.ts',
      url: `http://127.0.0.1:${FRESH_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: { ...SERVER_ENV, PORT: String(FRESH_PORT), FLOWBOARD_DB: FRESH_DB, FLOWBOARD_SEED: 'true' },
    },
  ],
});
