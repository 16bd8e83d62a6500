#!/usr/bin/env bash
# `npm test`: everything CI runs, from nothing. Installs what it needs
# (Chromium, tlog and asciinema from Debian; Elasticsearch from Maven Central),
# starts and stops its own Elasticsearch servers, and fails loudly.
#
#   TEST_ES_VERSIONS   versions the integration suite runs on (default "8.19.9 9.5.4");
#                      the first one runs plain http and also serves the e2e
#                      suite; later ones run with security on (HTTPS, users)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
source "$(dirname "$0")/test-lib.sh"
cd "$ROOT"

read -r -a versions <<<"${TEST_ES_VERSIONS:-8.19.9 9.5.4}"
timings=()
started=$SECONDS
step() {
  local name=$1 t0=$SECONDS
  shift
  say "$name"
  "$@"
  timings+=("$(printf '%-28s %4ss' "$name" $((SECONDS - t0)))")
}

rm -rf reports
mkdir -p reports
[ -d node_modules ] || step 'npm ci' npm ci --no-audit --no-fund
step 'system packages' ensure_packages
step 'lint' npx eslint .
step 'shellcheck' npm run -s lint:sh
step 'format' npx prettier --check --log-level warn .
step 'typecheck' npx tsc --noEmit
step 'unit tests' npx vitest run --project unit --reporter=default --reporter=json \
  --outputFile=reports/unit.json

trap es_down_all EXIT
port=9250
first_url=
for v in "${versions[@]}"; do
  mode=plain
  [ -n "$first_url" ] && mode=secure
  step "elasticsearch $v start ($mode)" es_up "$v" "$port" "$mode"
  mapfile -t es_vars < <(es_env "$port" "$mode")
  first_url=${first_url:-http://127.0.0.1:$port}
  # The browser suite's 5,000-recording fleet loads once; later clusters get a smaller one.
  fleet=full
  [ "$mode" = secure ] && fleet=reduced
  step "integration (ES $v, $mode)" env "${es_vars[@]}" LIST_FLEET=$fleet npx vitest run --project integration \
    --reporter=default --reporter=json --outputFile="reports/integration-$v.json"
  port=$((port + 1))
done

step 'next build' npx next build
step 'e2e (Chromium)' env E2E_ES_URL="$first_url" SKIP_BUILD=1 bash scripts/e2e.sh
# Benchmarks are not pass/fail, but they must keep running: small data, same cluster.
step 'bench smoke' env BENCH_ES_PORT=9250 BENCH_KEEP_ES=1 npx tsx bench/run.ts --smoke
es_down_all

say 'timings'
printf '%s\n' "${timings[@]}"
printf '%-28s %4ss\n' total $((SECONDS - started))
node scripts/test-summary.mjs reports
