#!/usr/bin/env bash
# Run a local single-node Elasticsearch (or OpenSearch) for auditty
# development and tests.
#
# Usage: scripts/es.sh start|stop|restart|status|fetch|url|rundir|help
#   (fetch: download and unpack ES_VERSION only, for starts that follow in parallel)
#   (npm run es:start / npm run es:stop)
#
# Environment:
#   ES_DISTRIBUTION  elasticsearch (default) or opensearch: which server to run
#   ES_VERSION    its version (default 8.19.9 for Elasticsearch, 9.5.4 is the newest
#                 9.x served; 2.19.6 for OpenSearch, 3.8.0 the newest 3.x served)
#   ES_PORT       HTTP port on 127.0.0.1 (default 9200); transport port is ES_PORT+100
#   ES_TRANSPORT_PORT  override the transport port
#   ES_HEAP       heap size, e.g. 1g (default 512m); ignored if ES_JAVA_OPTS is set
#   ES_JAVA_OPTS  JVM options (default "-Xms$ES_HEAP -Xmx$ES_HEAP")
#   ES_JAVA_HOME  JDK to use (default: OpenJDK 17 for Elasticsearch 8.x and
#                 OpenSearch 2.x, Temurin 25 for Elasticsearch 9.x and OpenSearch 3.x)
#   ES_HOME_DIR   where distributions and run dirs live (default <repo>/.es, or
#                 /var/tmp/auditty-es as root when the checkout is in a private
#                 directory such as /root)
#   ES_FRESH=1    wipe the port's data directory before starting
#   ES_START_TIMEOUT  seconds to wait for the cluster to turn yellow (default 180)
#   ES_SECURITY=1 security on: HTTPS with a CA made here (run-<port>/ca.pem) and
#                 a file-realm superuser ES_ADMIN_USER / ES_ADMIN_PASSWORD
#                 (default auditty-admin / auditty-admin-password), plus the
#                 read-only user auditty-reader / auditty-reader-password with
#                 the role auditty_read (read, view_index_metadata on tlog-*
#                 and oplog-tlog*), for testing auth and TLS; never use these
#                 defaults for anything real
#
# Layout:
#   $ES_HOME_DIR/elasticsearch-<version>/   unpacked distribution (read-only at runtime;
#                                           opensearch-<version>/ for OpenSearch)
#   $ES_HOME_DIR/run-<port>/                config/ data/ logs/ tmp/ es.pid version
#
# The distribution is Maven Central's integ-test-zip (see docs on its missing
# modules), fetched with mvn and unpacked with unzip. Neither server runs as
# root: as root the server runs as the system user "auditty-es" (created on
# first use).
set -euo pipefail

readonly ES_USER=auditty-es
readonly HOST=127.0.0.1
readonly DIST_PACKAGING=zip
# The distribution's Maven coordinates (its version is ES_VERSION), the
# server's name in messages, and its launcher's variables and config file.
case ${ES_DISTRIBUTION:-elasticsearch} in
elasticsearch)
  DEFAULT_VERSION=8.19.9
  DIST_GROUP=org.elasticsearch.distribution.integ-test-zip
  DIST_ARTIFACT=elasticsearch
  PRODUCT=Elasticsearch
  VAR_PREFIX=ES
  ;;
opensearch)
  DEFAULT_VERSION=2.19.6
  DIST_GROUP=org.opensearch.distribution.integ-test-zip
  DIST_ARTIFACT=opensearch
  PRODUCT=OpenSearch
  VAR_PREFIX=OPENSEARCH
  ;;
*)
  printf "es.sh: ERROR: ES_DISTRIBUTION must be elasticsearch or opensearch, got '%s'\n" "$ES_DISTRIBUTION" >&2
  exit 1
  ;;
esac
readonly DEFAULT_VERSION DIST_GROUP DIST_ARTIFACT PRODUCT VAR_PREFIX

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)

V=${ES_VERSION:-$DEFAULT_VERSION}
PORT=${ES_PORT:-9200}

log() { printf 'es.sh: %s\n' "$*"; }
die() {
  printf 'es.sh: ERROR: %s\n' "$*" >&2
  exit 1
}

# shellcheck source-path=SCRIPTDIR source=es/fetch.sh
source "$SCRIPT_DIR/es/fetch.sh"
# shellcheck source-path=SCRIPTDIR source=es/security.sh
source "$SCRIPT_DIR/es/security.sh"

# As root the server runs as an unprivileged user, who must be able to reach
# the distribution and the run dir: a checkout under a private directory
# (mode 700, like /root) falls back to a shared place outside it.
world_traversable() {
  local dir=$1
  while [[ $dir != / ]]; do
    (( 0$(stat -c %a "$dir") & 1 )) || return 1
    dir=$(dirname "$dir")
  done
}
if [[ -n ${ES_HOME_DIR:-} ]]; then
  HOME_DIR=$ES_HOME_DIR
  [[ $HOME_DIR == /* ]] || HOME_DIR=$PWD/$HOME_DIR
elif ((EUID != 0)) || world_traversable "$REPO_DIR"; then
  HOME_DIR=$REPO_DIR/.es
else
  HOME_DIR=/var/tmp/auditty-es
fi
START_TIMEOUT=${ES_START_TIMEOUT:-180}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

# ---------------------------------------------------------------- validation

validate_port() {
  if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    die "ES_PORT must be a port number, got '$PORT'"
  fi
  TRANSPORT_PORT=${ES_TRANSPORT_PORT:-$((PORT + 100))}
  if ! [[ $TRANSPORT_PORT =~ ^[0-9]+$ ]] || ((TRANSPORT_PORT < 1 || TRANSPORT_PORT > 65535)); then
    die "transport port must be a port number, got '$TRANSPORT_PORT' (set ES_TRANSPORT_PORT)"
  fi
  ((TRANSPORT_PORT != PORT)) || die "transport port and HTTP port are both $PORT"
}

validate_version() {
  [[ $V =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]] || die "ES_VERSION must look like $DEFAULT_VERSION, got '$V'"
  local major=${BASH_REMATCH[1]} default_java="" need='21+'
  # Elasticsearch 8 and OpenSearch 2 run on Java 17; Elasticsearch 9 and OpenSearch 3 need 21.
  if { [[ $PRODUCT == Elasticsearch ]] && ((major == 8)); } || { [[ $PRODUCT == OpenSearch ]] && ((major == 2)); }; then
    default_java=/usr/lib/jvm/java-17-openjdk-amd64
    need='17 to 23'
  elif { [[ $PRODUCT == Elasticsearch ]] && ((major >= 9)); } || { [[ $PRODUCT == OpenSearch ]] && ((major >= 3)); }; then
    default_java=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  JAVA_DIR=${ES_JAVA_HOME:-$default_java}
  [[ -n $JAVA_DIR ]] || die "no default JDK for $PRODUCT $V: set ES_JAVA_HOME"
  [[ -x $JAVA_DIR/bin/java ]] || die "no $JAVA_DIR/bin/java ($PRODUCT $V needs Java $need): install it or set ES_JAVA_HOME"
}

validate_timeout() {
  if ! [[ $START_TIMEOUT =~ ^[0-9]+$ ]] || ((START_TIMEOUT < 1)); then
    die "ES_START_TIMEOUT must be a number of seconds, got '$START_TIMEOUT'"
  fi
}

set_paths() {
  RUN_DIR=$HOME_DIR/run-$PORT
  PID_FILE=$RUN_DIR/es.pid
  VERSION_FILE=$RUN_DIR/version
  CONSOLE_LOG=$RUN_DIR/logs/console.log
  SERVER_LOG=$RUN_DIR/logs/auditty-$PORT.log
  SECURE=${ES_SECURITY:-0}
  if [[ $SECURE == 1 && $PRODUCT != Elasticsearch ]]; then
    die "ES_SECURITY=1 is for Elasticsearch only: OpenSearch's integ-test distribution has no security plugin"
  fi
  ADMIN_USER=${ES_ADMIN_USER:-auditty-admin}
  ADMIN_PASSWORD=${ES_ADMIN_PASSWORD:-auditty-admin-password}
  if [[ $SECURE == 1 ]]; then
    URL="https://$HOST:$PORT"
    CURL_AUTH=(--cacert "$RUN_DIR/ca.pem" -u "$ADMIN_USER:$ADMIN_PASSWORD")
  else
    URL="http://$HOST:$PORT"
    CURL_AUTH=()
  fi
}

# ---------------------------------------------------------------- processes

# Is $1 alive (zombies do not count: PID 1 in a container may not reap)?
is_alive() {
  local state
  state=$(ps -o stat= -p "$1") || return 1
  [[ $state != Z* ]]
}

# Is $1 a live Elasticsearch or OpenSearch server process? (Either: stop and
# status need not be told which one a port's run dir holds.)
is_es_pid() {
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  is_alive "$1" || return 1
  local args
  args=$(ps -ww -o args= -p "$1")
  [[ $args == *org.elasticsearch* || $args == *org.opensearch* ]]
}

# Prints the pid of the server started for this port, or fails.
running_pid() {
  local pid
  [[ -s $PID_FILE ]] || return 1
  pid=$(tr -dc '0-9' <"$PID_FILE")
  is_es_pid "$pid" || return 1
  printf '%s\n' "$pid"
}

health() {
  curl -s "${CURL_AUTH[@]}" --max-time "${1:-10}" "$URL/_cluster/health?wait_for_status=yellow&timeout=5s" 2>/dev/null
}

healthy() {
  local out
  out=$(health "$@") || return 1
  [[ $out == *'"status":"green"'* || $out == *'"status":"yellow"'* ]] && [[ $out != *'"timed_out":true'* ]]
}

port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

show_logs() {
  local f shown=""
  for f in "$CONSOLE_LOG" "$SERVER_LOG"; do
    if [[ -s $f ]]; then
      printf '\n----- last 40 lines of %s -----\n' "$f" >&2
      tail -n 40 "$f" >&2
      shown=1
    fi
  done
  [[ -n $shown ]] || printf '\n(no log output yet in %s)\n' "$RUN_DIR/logs" >&2
  printf '\n' >&2
}

# ---------------------------------------------------------------- setup

ensure_es_user() {
  ((EUID == 0)) || return 0
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  # Starts on several ports at once (npm test) each reach this on a new
  # machine: two useradd at once left one start's run dir owned by a uid the
  # other's entry replaced. One at a time, under a lock beside the distributions.
  local user_lock
  exec {user_lock}>"$HOME_DIR/.user.lock"
  flock -w 60 "$user_lock" || die "timed out waiting for another start to create user $ES_USER"
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    log "creating system user $ES_USER ($PRODUCT refuses to run as root)"
    # A start from another checkout (another lock) may have made it meanwhile.
    useradd -r -M -s /usr/sbin/nologin "$ES_USER" || id -u "$ES_USER" >/dev/null 2>&1 ||
      die "could not create user $ES_USER"
  fi
  exec {user_lock}>&-
}

yaml_quote() {
  local s=${1//\'/\'\'}
  printf "'%s'" "$s"
}

write_config() {
  local conf=$RUN_DIR/config
  rm -rf "$conf"
  mkdir -p "$conf"
  cp -R "$DIST/config/." "$conf/"
  # jvm.options writes gc.log and hs_err files relative to ES_HOME (the working
  # directory), and heap dumps there too: point them into this port's logs dir,
  # so two instances of the same version do not share them and ES_HOME can stay
  # read-only.
  local logs=$RUN_DIR/logs
  sed -i -e "s|file=[^:]*gc\.log|file=$logs/gc.log|" \
    -e "s|^\(-XX:ErrorFile=\).*|\1$logs/hs_err_pid%p.log|" \
    "$conf/jvm.options"
  # ES adds -XX:ReplayDataFile=logs/... (relative to ES_HOME) itself; later options win.
  mkdir -p "$conf/jvm.options.d"
  printf -- '-XX:HeapDumpPath=%s\n-XX:ReplayDataFile=%s/replay_pid%%p.log\n' "$logs" "$logs" \
    >"$conf/jvm.options.d/auditty.options"
  cat >"$conf/$DIST_ARTIFACT.yml" <<EOF
# Written by scripts/es.sh for $PRODUCT $V on port $PORT; regenerated on every start.
cluster.name: auditty-$PORT
node.name: auditty-es-$PORT
discovery.type: single-node
network.host: $HOST
http.port: $PORT
transport.port: $TRANSPORT_PORT
path.data: $(yaml_quote "$RUN_DIR/data")
path.logs: $(yaml_quote "$RUN_DIR/logs")
$(security_settings)
cluster.routing.allocation.disk.watermark.low: 1b
cluster.routing.allocation.disk.watermark.high: 1b
cluster.routing.allocation.disk.watermark.flood_stage: 1b
indices.breaker.total.use_real_memory: false
EOF
}

prepare_run_dir() {
  mkdir -p "$RUN_DIR"
  if [[ ${ES_FRESH:-} == 1 ]]; then
    log "ES_FRESH=1: wiping $RUN_DIR/data"
    rm -rf "$RUN_DIR/data"
    rm -f "$VERSION_FILE"
  fi
  if [[ -d $RUN_DIR/data && -n $(ls -A "$RUN_DIR/data" 2>/dev/null) && -s $VERSION_FILE ]]; then
    local old
    old=$(<"$VERSION_FILE")
    # Older run dirs hold the version alone (Elasticsearch then).
    [[ $old == *' '* ]] || old="Elasticsearch $old"
    if [[ $old != "$PRODUCT $V" ]]; then
      die "$RUN_DIR/data holds data written by $old, not $PRODUCT $V (an upgrade is one-way, a downgrade fails). Use another ES_PORT, or ES_FRESH=1 to wipe it."
    fi
  fi
  mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
  rm -f "$PID_FILE" "$CONSOLE_LOG"
  write_config
  prepare_security
  printf '%s\n' "$PRODUCT $V" >"$VERSION_FILE"
  : >"$CONSOLE_LOG"
  if ((EUID == 0)); then
    chown -R "$ES_USER:" "$RUN_DIR"
    # the ES user must reach the distribution, the run dir and the JDK
    local p
    for p in "$DIST/bin/$DIST_ARTIFACT" "$DIST/lib" "$RUN_DIR/config/$DIST_ARTIFACT.yml" "$JAVA_DIR/bin/java"; do
      runuser -u "$ES_USER" -- test -r "$p" ||
        die "user $ES_USER cannot read $p: every parent directory must be world-executable (or set ES_HOME_DIR to such a place)"
    done
  fi
}

# ---------------------------------------------------------------- commands

cmd_start() {
  validate_port
  validate_version
  validate_timeout
  set_paths
  local t0=$SECONDS pid

  # One start/stop per port at a time.
  mkdir -p "$RUN_DIR"
  local lock_fd
  exec {lock_fd}>"$HOME_DIR/.run-$PORT.lock"
  flock -w "$((START_TIMEOUT + 60))" "$lock_fd" || die "timed out waiting for another start/stop on port $PORT"

  if pid=$(running_pid); then
    local running_v
    running_v=$(cat "$VERSION_FILE" 2>/dev/null || echo unknown)
    [[ $running_v == *' '* ]] || running_v="Elasticsearch $running_v"
    if [[ $running_v != "$PRODUCT $V" ]]; then
      die "port $PORT already runs $running_v (pid $pid), not $PRODUCT $V: run 'ES_PORT=$PORT $0 stop' first or pick another ES_PORT"
    fi
    [[ ${ES_FRESH:-} != 1 ]] || die "ES_FRESH=1 but $PRODUCT is running on port $PORT (pid $pid): stop it first"
    if healthy 30; then
      log "$PRODUCT $V already running at $URL (pid $pid)"
      return 0
    fi
    die "$PRODUCT pid $pid on port $PORT is running but not healthy; see $SERVER_LOG (or stop it and start again)"
  fi
  if [[ -e $PID_FILE ]]; then
    log "removing stale pid file $PID_FILE"
    rm -f "$PID_FILE"
  fi
  if port_in_use "$PORT"; then
    die "port $PORT on $HOST is in use by another process (not started by this script from $RUN_DIR); pick another ES_PORT"
  fi
  if port_in_use "$TRANSPORT_PORT"; then
    die "transport port $TRANSPORT_PORT on $HOST is in use; set ES_TRANSPORT_PORT or pick another ES_PORT"
  fi

  fetch_distribution "$HOME_DIR" "$DIST_GROUP" "$DIST_ARTIFACT" "$V" "$DIST_PACKAGING"
  DIST=$HOME_DIR/$DIST_ARTIFACT-$V
  ensure_es_user
  prepare_run_dir

  local heap=${ES_HEAP:-512m}
  local java_opts=${ES_JAVA_OPTS:-"-Xms$heap -Xmx$heap"}
  local -a launch=(env
    -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS -u JAVA_OPTS
    "${VAR_PREFIX}_JAVA_HOME=$JAVA_DIR"
    "${VAR_PREFIX}_PATH_CONF=$RUN_DIR/config"
    "${VAR_PREFIX}_TMPDIR=$RUN_DIR/tmp"
    "${VAR_PREFIX}_JAVA_OPTS=$java_opts"
    "$DIST/bin/$DIST_ARTIFACT" -d -p "$PID_FILE")
  if ((EUID == 0)); then
    launch=(runuser -u "$ES_USER" -- "${launch[@]}")
  fi
  # A new process group, led by the launcher: the server JVM stays in it, so on
  # failure the group can be killed even before the pid file exists.
  launch=(setsid "${launch[@]}")

  log "starting $PRODUCT $V on $URL (transport $TRANSPORT_PORT, heap opts '$java_opts', java $JAVA_DIR, run dir $RUN_DIR)"
  # The daemon must not inherit the lock fd, nor our stdout (npm pipes).
  (cd "$RUN_DIR" && exec "${launch[@]}") </dev/null >>"$CONSOLE_LOG" 2>&1 {lock_fd}>&- &
  local launcher=$! launcher_rc="" deadline=$((SECONDS + START_TIMEOUT)) reason=""

  while :; do
    if [[ -z $launcher_rc ]] && ! is_alive "$launcher"; then
      launcher_rc=0
      wait "$launcher" || launcher_rc=$?
      if ((launcher_rc != 0)); then
        reason="the $PRODUCT launcher exited with status $launcher_rc"
        break
      fi
    fi
    if healthy 10; then
      if pid=$(running_pid); then
        log "$PRODUCT $V ready at $URL (pid $pid, $((SECONDS - t0))s)"
        [[ $SECURE != 1 ]] || log "security on: CA $RUN_DIR/ca.pem, superuser $ADMIN_USER"
        return 0
      fi
      reason="something answers on $URL but the process from $PID_FILE is not running"
      break
    fi
    # OpenSearch's launcher returns before the server writes its pid file,
    # and on a loaded machine the JVM can take well over 30 s to get there
    # (CI once killed a healthy OpenSearch 3.8.0 start that way). The server
    # stays in the launcher's process group (setsid, above): it has exited
    # only when nothing in that group is alive.
    if [[ -n $launcher_rc ]] && ! running_pid >/dev/null && ! group_alive "$launcher"; then
      reason="the $PRODUCT process exited"
      break
    fi
    if ((SECONDS >= deadline)); then
      reason="$PRODUCT did not turn yellow within ${START_TIMEOUT}s"
      break
    fi
    sleep 1
  done

  # Failure: leave nothing behind. The launcher's process group (setsid, above)
  # holds the launcher and the server.
  printf 'es.sh: ERROR: %s\n' "$reason" >&2
  kill -TERM -- "-$launcher" 2>/dev/null || true
  local i
  for ((i = 0; i < 120; i++)); do
    group_alive "$launcher" || break
    sleep 0.25
  done
  if group_alive "$launcher"; then
    kill -KILL -- "-$launcher" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  show_logs
  die "$PRODUCT $V failed to start on port $PORT after $((SECONDS - t0))s"
}

# Does process group $1 still have a live (non-zombie) member?
group_alive() {
  ps -e -o pgid=,stat= 2>/dev/null | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

wait_gone() {
  local pid=$1 secs=$2 i
  for ((i = 0; i < secs * 4; i++)); do
    is_alive "$pid" || return 0
    sleep 0.25
  done
  ! is_alive "$pid"
}

cmd_stop() {
  validate_port
  set_paths
  local pid lock_fd
  if [[ -d $HOME_DIR ]]; then
    exec {lock_fd}>"$HOME_DIR/.run-$PORT.lock"
    flock -w 300 "$lock_fd" || die "timed out waiting for another start/stop on port $PORT"
  fi
  if [[ ! -e $PID_FILE ]]; then
    log "$PRODUCT not running on port $PORT (no $PID_FILE)"
    return 0
  fi
  if ! pid=$(running_pid); then
    log "$PRODUCT not running on port $PORT (stale pid file removed)"
    rm -f "$PID_FILE"
    return 0
  fi
  local t0=$SECONDS
  log "stopping $PRODUCT on port $PORT (pid $pid)..."
  kill -TERM "$pid" || die "could not signal pid $pid (started by another user?)"
  if ! wait_gone "$pid" 60; then
    log "pid $pid still alive after 60s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  log "stopped ($((SECONDS - t0))s)"
}

cmd_status() {
  validate_port
  set_paths
  local pid v
  v=$(cat "$VERSION_FILE" 2>/dev/null || echo unknown)
  if pid=$(running_pid); then
    local out
    if out=$(health 10) && [[ -n $out ]]; then
      echo "running: $v at $URL (pid $pid)"
      echo "$out"
      return 0
    fi
    echo "running but not answering: $v (pid $pid) at $URL"
    return 1
  fi
  echo "not running: no $PRODUCT started by this script on port $PORT"
  return 3
}

main() {
  local command=${1:-help}
  case $command in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart)
    # separate processes: each holds the port lock for its own lifetime
    bash "${BASH_SOURCE[0]}" stop
    exec bash "${BASH_SOURCE[0]}" start
    ;;
  status) cmd_status ;;
  fetch)
    validate_version
    set_paths
    fetch_distribution "$HOME_DIR" "$DIST_GROUP" "$DIST_ARTIFACT" "$V" "$DIST_PACKAGING"
    ;;
  url)
    validate_port
    set_paths
    echo "$URL"
    ;;
  rundir)
    validate_port
    set_paths
    echo "$RUN_DIR"
    ;;
  help | -h | --help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
  esac
}

main "$@"
