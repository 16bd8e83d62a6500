# ES_SECURITY=1 for scripts/es.sh: HTTPS with a CA made here, and file-realm
# users. Uses es.sh's die and its settings SECURE, RUN_DIR, DIST, JAVA_DIR,
# ADMIN_USER and ADMIN_PASSWORD.
# shellcheck shell=bash

# The security lines of elasticsearch.yml (paths relative to the config dir).
security_settings() {
  # OpenSearch's integ-test distribution has no security plugin (and no xpack settings).
  [[ $PRODUCT == Elasticsearch ]] || return 0
  if [[ $SECURE == 1 ]]; then
    printf '%s\n' 'xpack.security.enabled: true' \
      'xpack.security.http.ssl.enabled: true' \
      'xpack.security.http.ssl.key: certs/node.key' \
      'xpack.security.http.ssl.certificate: certs/node.pem' \
      'xpack.security.http.ssl.certificate_authorities: [certs/ca.pem]'
  else
    echo 'xpack.security.enabled: false'
  fi
}

# A private CA and a certificate for 127.0.0.1/localhost (kept across starts,
# so clients can keep trusting run-<port>/ca.pem), and the file-realm users.
# Runs after write_config, which regenerates the config dir on every start.
prepare_security() {
  [[ $SECURE == 1 ]] || return 0
  command -v openssl >/dev/null || die "ES_SECURITY=1 needs openssl"
  local certs=$RUN_DIR/certs
  if [[ ! -s $certs/node.pem ]]; then
    mkdir -p "$certs"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=auditty test CA" \
      -keyout "$certs/ca.key" -out "$certs/ca.pem" 2>/dev/null || die "openssl could not make the CA"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
      -keyout "$certs/node.key" -out "$certs/node.csr" 2>/dev/null || die "openssl could not make the key"
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$certs/ext.cnf"
    openssl x509 -req -in "$certs/node.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" -CAcreateserial \
      -days 3650 -extfile "$certs/ext.cnf" -out "$certs/node.pem" 2>/dev/null || die "openssl could not sign"
  fi
  cp "$certs/ca.pem" "$RUN_DIR/ca.pem"
  mkdir -p "$RUN_DIR/config/certs"
  cp "$certs/ca.pem" "$certs/node.pem" "$certs/node.key" "$RUN_DIR/config/certs/"
  add_file_user "$ADMIN_USER" "$ADMIN_PASSWORD" superuser
  # The roles auditty documents (README, "Privileges"): reading the recordings
  # only, and the server's (recordings read, plus the indices it owns).
  # File-based: this distribution cannot create API keys or native roles (its
  # .security index needs analysis-common).
  cat >>"$RUN_DIR/config/roles.yml" <<'YAML'
auditty_read:
  indices:
    - names: ['tlog-*', 'oplog-tlog*']
      privileges: ['read', 'view_index_metadata']
auditty_server:
  indices:
    - names: ['tlog-*', 'oplog-tlog*']
      privileges: ['read', 'view_index_metadata', 'monitor']
    - names: ['auditty-summaries*']
      privileges: ['read', 'write', 'create_index', 'view_index_metadata', 'maintenance']
    - names: ['auditty-audit*']
      privileges: ['read', 'create_doc', 'create_index', 'view_index_metadata']
YAML
  add_file_user auditty-reader auditty-reader-password auditty_read
  add_file_user auditty-server auditty-server-password auditty_server
}

# add_file_user NAME PASSWORD ROLE: a file-realm user in this run's config.
add_file_user() {
  ES_PATH_CONF=$RUN_DIR/config ES_JAVA_HOME=$JAVA_DIR \
    "$DIST/bin/elasticsearch-users" useradd "$1" -p "$2" -r "$3" >/dev/null ||
    die "could not create the file-realm user $1"
}
