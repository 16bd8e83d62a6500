# Shared by the test scripts: system packages and test Elasticsearch servers.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() {
  printf 'test: %s\n' "$*" >&2
  exit 1
}

# Debian packages the tests run for real: the browser, and tlog and asciinema
# as reference implementations; unzip for the Maven distributions, and the
# shell scripts' linter.
ensure_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v tlog-play >/dev/null || missing+=(tlog)
  command -v asciinema >/dev/null || missing+=(asciinema)
  command -v script >/dev/null || missing+=(bsdutils)
  command -v tmux >/dev/null || missing+=(tmux)
  command -v unzip >/dev/null || missing+=(unzip)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  command -v rsyslogd >/dev/null || missing+=(rsyslog)
  [ -e /usr/lib/x86_64-linux-gnu/rsyslog/omelasticsearch.so ] || missing+=(rsyslog-elasticsearch)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    fail "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y ${missing[*]})"
  fi
  say "installing ${missing[*]} (apt)"
  apt-get update -qq || fail 'apt-get update failed'
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    fail "apt-get install ${missing[*]} failed"
}

# A test cluster is named DISTRIBUTION:VERSION (opensearch:2.19.6), or by
# its version alone for Elasticsearch (8.19.9).
cluster_dist() { case $1 in *:*) printf '%s\n' "${1%%:*}" ;; *) echo elasticsearch ;; esac; }
cluster_version() { printf '%s\n' "${1##*:}"; }

# es_up CLUSTER PORT [secure]: starts a fresh test server (fails loudly if it
# does not come up). With "secure": HTTPS and users (scripts/es.sh ES_SECURITY=1).
es_up() {
  local secure=0
  [ "${3:-}" = secure ] && secure=1
  ES_DISTRIBUTION=$(cluster_dist "$1") ES_VERSION=$(cluster_version "$1") ES_PORT=$2 ES_FRESH=1 \
    ES_SECURITY=$secure bash "$ROOT/scripts/es.sh" start || fail "$1 did not start"
  STARTED_ES_PORTS+=("$2")
}

# fetch_es CLUSTER...: downloads the distributions one after another (Maven's
# local repository is not safe to fill from several processes at once).
fetch_es() {
  local c
  for c in "$@"; do
    ES_DISTRIBUTION=$(cluster_dist "$c") ES_VERSION=$(cluster_version "$c") \
      bash "$ROOT/scripts/es.sh" fetch || fail "could not fetch $c"
  done
}

# es_up_background VERSION PORT [secure]: es_up in the background, its output
# in reports/es-PORT.log; es_wait_all waits for every such start.
es_up_background() {
  STARTED_ES_PORTS+=("$2")
  es_up "$@" >"$ROOT/reports/es-$2.log" 2>&1 &
  PENDING_ES+=("$!:$2")
}

es_wait_all() {
  local entry pid port failed=0
  for entry in "${PENDING_ES[@]}"; do
    pid=${entry%%:*}
    port=${entry##*:}
    if ! wait "$pid"; then
      cat "$ROOT/reports/es-$port.log" >&2
      failed=1
    fi
  done
  PENDING_ES=()
  [ "$failed" -eq 0 ] || fail 'an Elasticsearch server did not start'
}

# The environment the tests use to reach a server es_up started.
es_env() {
  local port=$1 secure=${2:-}
  if [ "$secure" = secure ]; then
    local run
    run=$(ES_PORT=$port bash "$ROOT/scripts/es.sh" rundir)
    printf '%s\n' "ES_URL=https://127.0.0.1:$port" "ES_CA_FILE=$run/ca.pem" \
      ES_USERNAME=auditty-admin ES_PASSWORD=auditty-admin-password
  else
    printf '%s\n' "ES_URL=http://127.0.0.1:$port"
  fi
}

es_down() {
  ES_PORT=$1 bash "$ROOT/scripts/es.sh" stop || true
  local kept=() port
  for port in "${STARTED_ES_PORTS[@]}"; do [ "$port" = "$1" ] || kept+=("$port"); done
  STARTED_ES_PORTS=("${kept[@]}")
}

es_down_all() {
  local port
  for port in "${STARTED_ES_PORTS[@]}"; do
    ES_PORT=$port bash "$ROOT/scripts/es.sh" stop || true
  done
  STARTED_ES_PORTS=()
}

STARTED_ES_PORTS=()
PENDING_ES=()
