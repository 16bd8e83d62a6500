import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// e2e runs the built app twice: on the files source (the bundled fixtures)
// and on Elasticsearch (E2E_ES_URL, filled by scripts/e2e.sh). Both run the
// same specs in Debian's Chromium.

const FILES_PORT = 3210;
const ES_PORT = 3211;
const ES_DOWN_PORT = 3212;
/** Specs for the servers with sign-in configured (the others run open, on loopback). */
const SIGN_IN_SPECS = /access-(local|oidc)\.spec\.ts/;
// Sign-in servers: local accounts, OpenID Connect, local accounts on
// Elasticsearch, and the test OpenID provider (tests/support/oidc-provider.ts).
const LOCAL_PORT = 3230;
const OIDC_PORT = 3231;
const LOCAL_ES_PORT = 3232;
const PROVIDER_PORT = 3239;
const run = Date.now();
const ACCESS = {
  AUTH_POLICY_FILE: 'tests/fixtures/access/policy.json',
  AUTH_SECRET: 'e2e-only-secret-0123456789abcdef0123456789',
};
const esUrl = process.env.E2E_ES_URL;
const esIndex = process.env.E2E_ES_INDEX ?? 'tlog-e2e';
/** Sent to the test cluster (security off, so ignored there); must never reach a browser. */
export const CANARY_API_KEY = 'auditty-canary-api-key-5b1e0c';

/** `ready`: a path that answers 2xx once the server is up (Playwright waits for < 404). */
function server(port: number, env: Record<string, string>, ready = '/api/health') {
  return {
    command: `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${port}`,
    url: `http://127.0.0.1:${port}${ready}`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: { ...env, PORT: String(port) },
  };
}

export default defineConfig({
  testDir: 'tests/e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'files',
      use: { baseURL: `http://127.0.0.1:${FILES_PORT}` },
      testIgnore: [/(secrets|es-down)\.spec\.ts/, SIGN_IN_SPECS],
    },
    ...(esUrl
      ? [
          {
            name: 'elasticsearch',
            use: { baseURL: `http://127.0.0.1:${ES_PORT}` },
            // The player's controls and keys do not depend on the source, and the hostile
            // spec serves its own files: the files project covers them.
            testIgnore: [
              /(es-down|player-controls|player-keys|player-hostile)\.spec\.ts/,
              SIGN_IN_SPECS,
            ],
          },
        ]
      : []),
    {
      name: 'access-local',
      use: { baseURL: `http://127.0.0.1:${LOCAL_PORT}` },
      testMatch: /access-local\.spec\.ts/,
    },
    {
      name: 'access-oidc',
      use: { baseURL: `http://127.0.0.1:${OIDC_PORT}` },
      testMatch: /access-oidc\.spec\.ts/,
    },
    ...(esUrl
      ? [
          {
            name: 'access-local-es',
            use: { baseURL: `http://127.0.0.1:${LOCAL_ES_PORT}` },
            testMatch: /access-local\.spec\.ts/,
          },
        ]
      : []),
    // Configured for a cluster that is not there.
    {
      name: 'es-down',
      use: { baseURL: `http://127.0.0.1:${ES_DOWN_PORT}` },
      testMatch: /es-down\.spec\.ts/,
    },
  ],
  webServer: [
    server(FILES_PORT, { RECORDINGS_DIR: 'tests/fixtures/recordings', ES_URL: '' }),
    ...(esUrl
      ? [server(ES_PORT, { ES_URL: esUrl, ES_INDEX: esIndex, ES_API_KEY: CANARY_API_KEY })]
      : []),
    // Its /api/health answers 503 by design, which Playwright never takes for "ready".
    server(
      ES_DOWN_PORT,
      { ES_URL: 'http://127.0.0.1:9', ES_REQUEST_TIMEOUT_MS: '2000' },
      '/icon.svg',
    ),
    server(LOCAL_PORT, {
      ...ACCESS,
      RECORDINGS_DIR: 'tests/fixtures/recordings',
      ES_URL: '',
      AUTH_USERS_FILE: 'tests/fixtures/access/users.json',
      AUDIT_LOG_FILE: path.join(tmpdir(), `auditty-e2e-audit-${LOCAL_PORT}-${run}.jsonl`),
    }),
    {
      command: 'node --import tsx tests/support/oidc-provider.ts',
      url: `http://127.0.0.1:${PROVIDER_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe' as const,
      stderr: 'pipe' as const,
      env: {
        OIDC_PORT: String(PROVIDER_PORT),
        OIDC_REDIRECT_URIS: `http://127.0.0.1:${OIDC_PORT}/api/auth/oidc/callback`,
      },
    },
    server(OIDC_PORT, {
      ...ACCESS,
      RECORDINGS_DIR: 'tests/fixtures/recordings',
      ES_URL: '',
      AUTH_ISSUER: `http://127.0.0.1:${PROVIDER_PORT}`,
      AUTH_CLIENT_ID: 'auditty',
      AUTH_CLIENT_SECRET: 'auditty-test-client-secret',
      AUTH_SCOPES: 'openid profile groups',
      AUTH_PROVIDER_NAME: 'Test IdP',
      AUDIT_LOG_FILE: path.join(tmpdir(), `auditty-e2e-audit-${OIDC_PORT}-${run}.jsonl`),
    }),
    ...(esUrl
      ? [
          server(LOCAL_ES_PORT, {
            ...ACCESS,
            ES_URL: esUrl,
            ES_INDEX: esIndex,
            AUTH_USERS_FILE: 'tests/fixtures/access/users.json',
            AUDIT_INDEX: `auditty-audit-e2e-${run}`,
          }),
        ]
      : []),
  ],
});
