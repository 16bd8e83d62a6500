#!/usr/bin/env bash
# Runs a command with ES_URL set: the caller's Elasticsearch if ES_URL is set,
# else a fresh test server started and stopped here: ES_DISTRIBUTION
# (elasticsearch, or opensearch) at ES_VERSION (default 8.19.9, or 2.19.6).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
source "$(dirname "$0")/test-lib.sh"

if [ -z "${ES_URL:-}" ]; then
  port=${TEST_ES_PORT:-9250}
  trap es_down_all EXIT
  dist=${ES_DISTRIBUTION:-elasticsearch}
  default=8.19.9
  [ "$dist" = opensearch ] && default=2.19.6
  es_up "$dist:${ES_VERSION:-$default}" "$port"
  export ES_URL=http://127.0.0.1:$port
fi
"$@"
