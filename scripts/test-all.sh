#!/usr/bin/env bash
# `npm test`: everything CI runs, from nothing. Installs what it needs
# (Chromium, tlog, asciinema and the rest from Debian; Elasticsearch and
# OpenSearch from Maven Central), starts and stops its own servers, and fails
# loudly.
#
#   TEST_CLUSTERS   the clusters the integration suite runs on, each
#                   DISTRIBUTION:VERSION or an Elasticsearch version (default
#                   "8.19.9 9.5.4 opensearch:2.19.6 opensearch:3.8.0 opensearch:2.3.0").
#                   The first runs plain http, with the 10,000+ recordings
#                   test, and then serves the e2e suite and the benchmarks;
#                   later Elasticsearch ones run with security on (HTTPS,
#                   users); OpenSearch ones plain (its integ-test distribution
#                   has no security plugin). All run at the same time, and
#                   the list suites on the reduced fleet
#                   (tests/integration/list-es-context.ts). Suites that touch
#                   no cluster run in one leg only (the first or the second).
#                   OpenSearch before 2.4 has no point in time: it runs only
#                   the source suite (the fallback), not all.
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

read -r -a versions <<<"${TEST_CLUSTERS:-8.19.9 9.5.4 opensearch:2.19.6 opensearch:3.8.0 opensearch:2.3.0}"
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
step 'fetch Elasticsearch and OpenSearch' fetch_es "${versions[@]}"

trap es_down_all EXIT
ports=()
# Security on for every Elasticsearch but the first (which e2e and the benchmarks use).
mode_of() {
  if [ "$1" -gt 0 ] && [ "$(cluster_dist "${versions[$1]}")" = elasticsearch ]; then
    echo secure
  else
    echo plain
  fi
}
for i in "${!versions[@]}"; do
  ports+=($((9250 + i)))
  es_up_background "${versions[$i]}" "${ports[$i]}" "$(mode_of "$i")"
done

step 'lint' npx eslint .
step 'shellcheck' npm run -s lint:sh
step 'format' npx prettier --check --log-level warn .
step 'typecheck' npx tsc --noEmit
step 'unit tests' npx vitest run --project unit --reporter=default --reporter=json \
  --outputFile=reports/unit.json
step 'wait for the clusters' es_wait_all

# Suites that do not touch a cluster (the files source, the user CLI) run in
# one leg only: the first or the second, whichever evens out the legs' times.
CLUSTER_FREE_FIRST=(tests/integration/access-cli-user.test.ts tests/integration/live-route-files.test.ts)
CLUSTER_FREE_SECOND=(tests/integration/list-files.test.ts tests/integration/access-matrix-files.test.ts)
# What a cluster without a point in time runs: the source suite, which reads
# every fixture back whole (search_after alone), past the 10,000-hit window,
# with duplicates, and under the scope: all that differs there.
PITLESS_SUITES=(tests/integration/elasticsearch-source.test.ts)

# OpenSearch before 2.4 (no point-in-time API)?
pitless() {
  local version
  version=$(cluster_version "$1")
  [ "$(cluster_dist "$1")" = opensearch ] && [[ $version =~ ^(1\.|2\.[0-3]\.) ]]
}
leg_name() { printf '%s\n' "${1/:/-}"; }

# One integration leg per cluster, all at once; each writes its own log.
integration_leg() {
  local i=$1 cluster=${versions[$1]} port=${ports[$1]} tiny=on mode name
  mode=$(mode_of "$i")
  name=$(leg_name "$cluster")
  local -a extra=() only=() owned=()
  [ "$i" -gt 0 ] && tiny=off
  local suite
  if [ "$i" -ne 0 ]; then
    for suite in "${CLUSTER_FREE_FIRST[@]}"; do extra+=(--exclude "$suite"); done
  else
    owned+=("${CLUSTER_FREE_FIRST[@]}")
  fi
  if [ "$i" -ne 1 ] && [ "${#versions[@]}" -gt 1 ]; then
    for suite in "${CLUSTER_FREE_SECOND[@]}"; do extra+=(--exclude "$suite"); done
  else
    owned+=("${CLUSTER_FREE_SECOND[@]}")
  fi
  # The cluster-free suites this leg owns still run on a point-in-time-less one.
  if pitless "$cluster"; then
    only=("${PITLESS_SUITES[@]}" "${owned[@]}")
    extra=()
  fi
  local -a vars
  mapfile -t vars < <(es_env "$port" "$mode")
  local t0=$SECONDS status=0
  env "${vars[@]}" ES_DISTRIBUTION="$(cluster_dist "$cluster")" LIST_TINY=$tiny \
    npx vitest run --project integration "${extra[@]}" "${only[@]}" \
    --reporter=default --reporter=json --outputFile="reports/integration-$name.json" \
    >"reports/integration-$name.log" 2>&1 || status=$?
  echo "integration ($cluster, $mode, 10,000+ recordings test $tiny${only[*]:+, only ${only[*]}}): $((SECONDS - t0))s, exit $status" \
    >>"reports/integration-$name.log"
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
    local log
    log="reports/integration-$(leg_name "${versions[$i]}").log"
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
step "integration (${versions[*]}, side by side)" integration

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
