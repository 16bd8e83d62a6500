#!/usr/bin/env bash
# Runs a command with ES_URL set: the caller's Elasticsearch if ES_URL is set,
# else a fresh test server (ES_VERSION, default 8.19.9) started and stopped here.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
source "$(dirname "$0")/test-lib.sh"

if [ -z "${ES_URL:-}" ]; then
  port=${TEST_ES_PORT:-9250}
  trap es_down_all EXIT
  es_up "${ES_VERSION:-8.19.9}" "$port"
  export ES_URL=http://127.0.0.1:$port
fi
"$@"
