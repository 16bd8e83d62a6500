import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// e2e runs the built app in Debian's Chromium, on five servers:
// - files: the bundled fixtures, open access (every spec but sign-in's);
// - elasticsearch (E2E_ES_URL, filled by scripts/e2e.sh): the same fixtures
//   in Elasticsearch, with local accounts and the audit index. Specs tagged
//   @ui check only the interface and run on files alone; the rest run here
//   again, signed in as an admin (es-session.setup.ts), and the sign-in
//   specs tagged @source run here too, for the audit index and the scope in
//   Elasticsearch's queries;
// - sign-in: the fixtures with local accounts and OpenID Connect (the test
//   provider, tests/support/oidc-provider.ts);
// - hostile: tests/fixtures/hostile (not in the bundled fixtures, so that the
//   list and its counts stay as they are);
// - es-down: configured for a cluster that is not there.

const FILES_PORT = 3210;
const ES_PORT = 3211;
const ES_DOWN_PORT = 3212;
const HOSTILE_PORT = 3213;
/** Run with `next start` itself, not the launcher: open access must refuse to serve it. */
export const BYPASS_PORT = 3214;
const LIVE_PORT = 3215;
const LIVE_ES_PORT = 3216;
const SIGN_IN_PORT = 3230;
const PROVIDER_PORT = 3239;
/** Specs for the servers with sign-in configured (the others run open, on loopback). */
const SIGN_IN_SPECS = /access-(local|oidc)\.spec\.ts/;
/** Live follow (live.spec.ts): tlog-rec writes into this directory, which the live server reads. */
export const LIVE_DIR = path.join(tmpdir(), 'auditty-e2e-live');
mkdirSync(LIVE_DIR, { recursive: true });
/** The index the live spec's rsyslog writes to, which the live-es server reads. */
export const LIVE_ES_INDEX = 'tlog-e2e-live';
/**
 * Typed text on screen within this long (README, "Watch a session live"):
 * tlog-rec's --latency=1, then the server's poll (LIVE_POLL_MS, 1 s) and, for
 * Elasticsearch, rsyslog's imfile poll (1 s), its bulk request and the
 * index refresh (1 s). Generous for a busy 2-core machine.
 */
export const LIVE_BOUND_MS = { files: 8_000, elasticsearch: 15_000 };
/**
 * Short, so that "ended" comes soon after the shell exits (the default is
 * 120), but longer than the slowest bound above: the quiet runs from the
 * last arrival (from the last recorded time when a follow starts), and at
 * 9 s a message still within its 15 s through rsyslog and Elasticsearch
 * came after the player had been told the recording ended (CI, 2026-12-02).
 * Shared by both live servers: the files one waits 11 s longer for "ended".
 */
export const LIVE_END_SECONDS = Math.ceil(LIVE_BOUND_MS.elasticsearch / 1000) + 5;
const LIVE_ENV = {
  // Reconnects every 4 s: the spec's message count says none lost or repeated.
  LIVE_STREAM_MAX_SECONDS: '4',
  LIVE_GAP_WAIT_MS: '1500',
  LIVE_IDLE_SECONDS: '7',
  LIVE_END_SECONDS: String(LIVE_END_SECONDS),
};
const LIVE_SPECS = /live\.spec\.ts/;
/** Specs for the hostile fixtures' server. */
const HOSTILE_SPECS = /(player-hostile|export-budget)\.spec\.ts/;
/** Projects on the open servers and the sign-in ones; export-budget runs after them all. */
const EARLIER = [
  'files',
  'hostile',
  'live',
  ...(process.env.E2E_ES_URL ? ['elasticsearch', 'access-local-es', 'live-es'] : []),
  'access-local',
  'access-oidc',
  'es-down',
];
/** Whole specs that check only the interface (single tests are tagged @ui instead). */
const UI_SPECS = /(player-controls|player-keys|access-open)\.spec\.ts/;
const run = Date.now();
const ACCESS = {
  AUTH_POLICY_FILE: 'tests/fixtures/access/policy.json',
  AUTH_SECRET: 'e2e-only-secret-0123456789abcdef0123456789',
  AUTH_USERS_FILE: 'tests/fixtures/access/users.json',
};
const esUrl = process.env.E2E_ES_URL;
const esIndex = process.env.E2E_ES_INDEX ?? 'tlog-e2e';
/** Sent to the test cluster (security off, so ignored there); must never reach a browser. */
export const CANARY_API_KEY = 'auditty-canary-api-key-5b1e0c';
/** The admin session the elasticsearch project runs in (one name: workers load this file too). */
export const ES_SESSION = path.join(tmpdir(), `auditty-e2e-es-session-${ES_PORT}.json`);

/**
 * A server of the built app, started the way users start it (npm start:
 * scripts/start.ts, which checks the configuration, then scripts/server.mjs).
 * `ready`: a path that answers 2xx once the server is up (Playwright waits for < 404).
 */
function server(port: number, env: Record<string, string>, ready = '/api/health') {
  return {
    command: 'node --import tsx scripts/start.ts',
    url: `http://127.0.0.1:${port}${ready}`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
  };
}
const url = (port: number) => `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The suite is CPU-bound on 2 cores: more workers made it slower (3: +15%, 4: +20%).
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/e2e.json' }]],
  use: {
    browserName: 'chromium',
    // A failed test keeps its trace: actions, console and network. DOM
    // snapshots and screencast frames are left out of it: recording them for
    // every test cost 30% of the suite's time on 2 cores (the screenshot on
    // failure shows the page). E2E_TRACE=full records them.
    trace:
      process.env.E2E_TRACE === 'full'
        ? 'retain-on-failure'
        : { mode: 'retain-on-failure', snapshots: false, screenshots: false, sources: true },
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
      use: { baseURL: url(FILES_PORT) },
      testIgnore: [
        /(secrets|es-down)\.spec\.ts/,
        HOSTILE_SPECS,
        SIGN_IN_SPECS,
        LIVE_SPECS,
        /\.setup\.ts/,
      ],
    },
    { name: 'live', use: { baseURL: url(LIVE_PORT) }, testMatch: LIVE_SPECS },
    {
      name: 'hostile',
      use: { baseURL: url(HOSTILE_PORT) },
      testMatch: /player-hostile\.spec\.ts/,
    },
    ...(esUrl
      ? [
          {
            name: 'es-session',
            use: { baseURL: url(ES_PORT) },
            testMatch: /es-session\.setup\.ts/,
          },
          {
            name: 'elasticsearch',
            use: { baseURL: url(ES_PORT), storageState: ES_SESSION },
            dependencies: ['es-session'],
            testIgnore: [
              /es-down\.spec\.ts/,
              HOSTILE_SPECS,
              UI_SPECS,
              SIGN_IN_SPECS,
              LIVE_SPECS,
              /\.setup\.ts/,
            ],
            grepInvert: /@ui/,
          },
          {
            name: 'live-es',
            use: { baseURL: url(LIVE_ES_PORT) },
            testMatch: LIVE_SPECS,
            grepInvert: /@files/,
          },
          {
            name: 'access-local-es',
            use: { baseURL: url(ES_PORT) },
            testMatch: /access-local\.spec\.ts/,
            grep: /@source/,
          },
        ]
      : []),
    {
      name: 'access-local',
      use: { baseURL: url(SIGN_IN_PORT) },
      testMatch: /access-local\.spec\.ts/,
    },
    {
      name: 'access-oidc',
      use: { baseURL: url(SIGN_IN_PORT) },
      testMatch: /access-oidc\.spec\.ts/,
    },
    {
      name: 'es-down',
      use: { baseURL: url(ES_DOWN_PORT) },
      testMatch: /es-down\.spec\.ts/,
    },
    // It times the server's answers while it renders hostile output: alone,
    // so that the other worker's browser does not take the CPU it measures.
    {
      name: 'export-budget',
      use: { baseURL: url(HOSTILE_PORT) },
      testMatch: /export-budget\.spec\.ts/,
      dependencies: EARLIER,
    },
  ],
  webServer: [
    server(FILES_PORT, { RECORDINGS_DIR: 'tests/fixtures/recordings', ES_URL: '' }),
    server(HOSTILE_PORT, { RECORDINGS_DIR: 'tests/fixtures/hostile', ES_URL: '' }),
    server(LIVE_PORT, { RECORDINGS_DIR: LIVE_DIR, ES_URL: '', ...LIVE_ENV }),
    ...(esUrl
      ? [
          server(ES_PORT, {
            ...ACCESS,
            ES_URL: esUrl,
            ES_INDEX: esIndex,
            ES_API_KEY: CANARY_API_KEY,
            AUDIT_INDEX: `auditty-audit-e2e-${run}`,
          }),
          server(LIVE_ES_PORT, {
            ...LIVE_ENV,
            ES_URL: esUrl,
            ES_INDEX: LIVE_ES_INDEX,
            SUMMARY_INDEX: 'auditty-summaries-e2e-live',
            AUDIT_INDEX: `auditty-audit-e2e-live-${run}`,
          }),
        ]
      : []),
    {
      command: `node node_modules/next/dist/bin/next start -H 127.0.0.1 -p ${BYPASS_PORT}`,
      // Every page and API call answers 403 here, by design, which Playwright takes for up.
      url: `${url(BYPASS_PORT)}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe' as const,
      stderr: 'pipe' as const,
      env: { RECORDINGS_DIR: 'tests/fixtures/recordings', ES_URL: '', PORT: String(BYPASS_PORT) },
    },
    // Its /api/health answers 503 by design, which Playwright never takes for "ready".
    server(
      ES_DOWN_PORT,
      { ES_URL: 'http://127.0.0.1:9', ES_REQUEST_TIMEOUT_MS: '2000' },
      '/icon.svg',
    ),
    {
      command: 'node --import tsx tests/support/oidc-provider.ts',
      url: `${url(PROVIDER_PORT)}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'pipe' as const,
      stderr: 'pipe' as const,
      env: {
        OIDC_PORT: String(PROVIDER_PORT),
        OIDC_REDIRECT_URIS: `${url(SIGN_IN_PORT)}/api/auth/oidc/callback`,
      },
    },
    server(SIGN_IN_PORT, {
      ...ACCESS,
      RECORDINGS_DIR: 'tests/fixtures/recordings',
      ES_URL: '',
      AUTH_ISSUER: url(PROVIDER_PORT),
      AUTH_CLIENT_ID: 'auditty',
      AUTH_CLIENT_SECRET: 'auditty-test-client-secret',
      AUTH_SCOPES: 'openid profile groups',
      AUTH_PROVIDER_NAME: 'Test IdP',
      AUDIT_LOG_FILE: path.join(tmpdir(), `auditty-e2e-audit-${SIGN_IN_PORT}-${run}.jsonl`),
    }),
  ],
});
