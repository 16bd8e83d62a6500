#!/usr/bin/env bash
# End-to-end tests: builds the app, loads the fixtures into Elasticsearch
# (E2E_ES_URL, or a fresh test server started here) and runs Playwright in
# Debian's Chromium against both sources.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
source "$(dirname "$0")/test-lib.sh"
cd "$ROOT"

ensure_packages
if [ -z "${SKIP_BUILD:-}" ]; then
  say 'next build'
  npx next build >/tmp/auditty-build.log 2>&1 || { tail -50 /tmp/auditty-build.log; fail 'next build failed'; }
fi
if [ -z "${E2E_ES_URL:-}" ]; then
  trap es_down_all EXIT
  es_up "${ES_VERSION:-8.19.9}" "${TEST_ES_PORT:-9252}"
  export E2E_ES_URL=http://127.0.0.1:${TEST_ES_PORT:-9252}
fi
export E2E_ES_INDEX=tlog-e2e
curl -fsS -X DELETE "$E2E_ES_URL/$E2E_ES_INDEX?ignore_unavailable=true" >/dev/null
ES_URL=$E2E_ES_URL node bin/auditty.mjs import --index "$E2E_ES_INDEX" tests/fixtures/recordings/*.tlog
npx playwright test "$@"
