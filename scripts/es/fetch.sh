# Fetching and unpacking a server distribution from Maven Central, for
# scripts/es.sh (which defines log and die). Nothing here is specific to
# Elasticsearch: the caller names the Maven coordinates.
# shellcheck shell=bash

# fetch_distribution DIR GROUP_ID ARTIFACT_ID VERSION PACKAGING
#
# Makes sure DIR/ARTIFACT_ID-VERSION holds the unpacked artifact
# GROUP_ID:ARTIFACT_ID:VERSION:PACKAGING, e.g.
# org.elasticsearch.distribution.integ-test-zip:elasticsearch:8.19.9:zip. The
# archive must be a zip with the single top directory ARTIFACT_ID-VERSION (as
# the Elasticsearch and OpenSearch integ-test-zips are). Maven keeps the
# archive in ~/.m2, so fetching again after the directory is removed only
# unpacks. Safe to run concurrently: one fetch per artifact at a time, and the
# directory appears complete or not at all.
fetch_distribution() {
  local dir=$1 group=$2 artifact=$3 version=$4 packaging=$5
  local coords=$group:$artifact:$version:$packaging
  local dest=$dir/$artifact-$version
  [[ -d $dest ]] && return 0

  [[ $packaging == zip ]] || die "cannot unpack $coords: only zip archives are supported"
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch $coords from Maven Central"
  command -v unzip >/dev/null || die "unzip is needed to unpack $coords (apt-get install unzip)"
  mkdir -p "$dir"
  local lock_fd
  exec {lock_fd}>"$dir/.fetch-$artifact-$version.lock"
  flock -w 900 "$lock_fd" || die "timed out waiting for another fetch of $coords"
  # Another process may have finished the same fetch while this one waited.
  if [[ ! -d $dest ]]; then
    local t0=$SECONDS tmp
    tmp=$(mktemp -d "$dir/.fetch-$artifact-$version.XXXXXX")
    log "fetching $coords from Maven Central..."
    if ! mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      "-Dartifact=$coords" "-DoutputDirectory=$tmp" >"$tmp/mvn.log" 2>&1; then
      cat "$tmp/mvn.log" >&2
      rm -rf "$tmp"
      die "could not fetch $coords from Maven Central (is that version published?)"
    fi
    if ! unzip -q "$tmp/$artifact-$version.$packaging" -d "$tmp/unpack" ||
      [[ ! -d $tmp/unpack/$artifact-$version ]]; then
      rm -rf "$tmp"
      die "$coords did not unpack to $artifact-$version/"
    fi
    mv "$tmp/unpack/$artifact-$version" "$dest"
    rm -rf "$tmp"
    log "fetched and unpacked $coords into $dest in $((SECONDS - t0))s (archive cached in ~/.m2)"
  fi
  exec {lock_fd}>&-
}
