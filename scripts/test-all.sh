#!/usr/bin/env bash
# `npm test`: everything CI runs, from nothing. Installs what it needs
# (Chromium, tlog, asciinema and the rest from Debian; Elasticsearch from
# Maven Central), starts and stops its own Elasticsearch servers, and fails
# loudly.
#
#   TEST_ES_VERSIONS   versions the integration suite runs on (default "8.19.9 9.5.4").
#                      The first runs plain http, with the 10,000+ recordings
#                      test, and then serves the e2e suite and the benchmarks;
#                      later ones run with security on (HTTPS, users), at the
#                      same time as the first. All run the list suites on the
#                      reduced fleet (tests/integration/list-es-context.ts).
#                      Suites that touch no cluster run in one leg only (the
#                      first or the last).
#
# The suite is CPU-bound on 2 cores, so the order is chosen to overlap what
# waits with what computes: clusters start while the static checks run, the
# integration legs run side by side (each is about half idle, waiting on its
# cluster), and a cluster stops as soon as its last step is done.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=test-lib.sh
source "$(dirname "$0")/test-lib.sh"
cd "$ROOT"
export CI=${CI:-true}

read -r -a versions <<<"${TEST_ES_VERSIONS:-8.19.9 9.5.4}"
timings=()
started=$SECONDS
step() {
  local name=$1 t0=$SECONDS
  shift
  say "$name"
  "$@"
  timings+=("$(printf '%-40s %4ss' "$name" $((SECONDS - t0)))")
}

rm -rf reports
mkdir -p reports
[ -d node_modules ] || step 'npm ci' npm ci --no-audit --no-fund
step 'system packages' ensure_packages
step 'fetch Elasticsearch' fetch_es "${versions[@]}"

trap es_down_all EXIT
ports=()
for i in "${!versions[@]}"; do
  ports+=($((9250 + i)))
  mode=plain
  [ "$i" -gt 0 ] && mode=secure
  es_up_background "${versions[$i]}" "${ports[$i]}" "$mode"
done

step 'lint' npx eslint .
step 'shellcheck' npm run -s lint:sh
step 'format' npx prettier --check --log-level warn .
step 'typecheck' npx tsc --noEmit
step 'unit tests' npx vitest run --project unit --reporter=default --reporter=json \
  --outputFile=reports/unit.json
step 'wait for Elasticsearch' es_wait_all

# Suites that do not touch a cluster (the files source, the user CLI) run in
# one leg only: the first or the last, whichever evens out the legs' times.
CLUSTER_FREE_FIRST=(tests/integration/access-cli-user.test.ts)
CLUSTER_FREE_LAST=(tests/integration/list-files.test.ts tests/integration/access-matrix-files.test.ts)

# One integration leg per cluster, all at once; each writes its own log.
integration_leg() {
  local i=$1 version=${versions[$1]} port=${ports[$1]} mode=plain tiny=on
  local -a extra=()
  if [ "$i" -gt 0 ]; then
    mode=secure
    tiny=off
  fi
  local suite
  if [ "$i" -gt 0 ]; then
    for suite in "${CLUSTER_FREE_FIRST[@]}"; do extra+=(--exclude "$suite"); done
  fi
  if [ "$i" -lt $((${#versions[@]} - 1)) ]; then
    for suite in "${CLUSTER_FREE_LAST[@]}"; do extra+=(--exclude "$suite"); done
  fi
  local -a vars
  mapfile -t vars < <(es_env "$port" "$mode")
  local t0=$SECONDS status=0
  env "${vars[@]}" LIST_TINY=$tiny npx vitest run --project integration "${extra[@]}" \
    --reporter=default --reporter=json --outputFile="reports/integration-$version.json" \
    >"reports/integration-$version.log" 2>&1 || status=$?
  echo "integration (ES $version, $mode, 10,000+ recordings test $tiny): $((SECONDS - t0))s, exit $status" \
    >>"reports/integration-$version.log"
  return "$status"
}
integration() {
  local -a pids=()
  local i failed=0
  for i in "${!versions[@]}"; do
    integration_leg "$i" &
    pids+=($!)
  done
  for i in "${!versions[@]}"; do
    local log="reports/integration-${versions[$i]}.log"
    # A failed leg in full, a passing one by its summary.
    if wait "${pids[$i]}"; then
      grep -aE 'Test Files|Tests |Duration|^integration \(' "$log" || true
    else
      failed=1
      cat "$log"
    fi
  done
  [ "$failed" -eq 0 ] || fail 'integration tests failed (logs in reports/)'
}
step "integration (ES ${versions[*]}, side by side)" integration

# Only the first cluster is needed from here on.
for port in "${ports[@]:1}"; do es_down "$port"; done

step 'next build' npx next build
step 'e2e (Chromium)' env E2E_ES_URL="http://127.0.0.1:${ports[0]}" SKIP_BUILD=1 bash scripts/e2e.sh
# Benchmarks are not pass/fail, but they must keep running: small data, same cluster.
step 'bench smoke' env BENCH_ES_PORT="${ports[0]}" BENCH_KEEP_ES=1 npx tsx bench/run.ts --smoke
es_down_all

say 'timings'
printf '%s\n' "${timings[@]}"
printf '%-40s %4ss\n' total $((SECONDS - started))
node scripts/test-summary.mjs reports
