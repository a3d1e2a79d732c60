#!/usr/bin/env bash
# Builds Sluice's function images from what this machine has, without an image registry:
#
#   sluice/fn-python:local  the host's python3 (Debian's /usr/bin/python3), its standard library and
#                           the shared libraries `ldd` names, plus images/python/proxy.py
#   sluice/fn-java:local    a jlink'd runtime (java.base, jdk.httpserver, jdk.compiler...) with the
#                           shared libraries it needs, Jackson from the local Maven repository, and
#                           images/java/ActionProxy.java compiled here
#
# Each image is a root filesystem tar given to `docker import` with its CMD, ENV and a label
# io.sluice.content-hash: a hash of this script, the proxy sources and the host binaries' versions.
# An image whose label already matches is skipped, so running this again is cheap (idempotent).
#
#   images/build.sh [--force] [python|java ...]     (what `bin/sluice image build` runs)
#
# Needs a Docker engine (DOCKER_HOST, e.g. from scripts/services.sh start DIR), python3 (for the
# Python image) and a JDK with jlink and Jackson jars in ~/.m2 (for the Java image; `mvn` of this
# project puts them there).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORCE=0
WHICH=()
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    python | java) WHICH+=("$a") ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "image build: unknown argument '$a' (python, java, --force)" >&2; exit 2 ;;
  esac
done
[[ ${#WHICH[@]} -gt 0 ]] || WHICH=(python java)

if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "image build: no Docker engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock};" \
    "start one with: eval \"\$(scripts/services.sh start DIR)\"" >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Copies FILE (and what it links to) into ROOT at the same path.
copy_file() { # ROOT FILE
  local root="$1" f="$2"
  mkdir -p "$root$(dirname "$f")"
  cp -L "$f" "$root$f"
}

# Copies every shared library the given ELF files need (ldd), with the dynamic loader.
copy_libs() { # ROOT FILE...
  local root="$1"
  shift
  local lib
  for lib in $(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $1 !~ /:$/ {print $1}' | sort -u); do
    [[ -e "$root$lib" ]] || copy_file "$root" "$lib"
  done
}

current_hash() { # IMAGE
  docker image inspect -f '{{index .Config.Labels "io.sluice.content-hash"}}' "$1" 2>/dev/null || true
}

import_image() { # ROOT IMAGE HASH CMD-JSON [ENV...]
  local root="$1" image="$2" hash="$3" cmd="$4"
  shift 4
  local changes=(--change "LABEL io.sluice.content-hash=$hash" --change "LABEL io.sluice.image=$image"
    --change "CMD $cmd" --change "WORKDIR /tmp")
  local e
  for e in "$@"; do changes+=(--change "ENV $e"); done
  mkdir -p "$root/tmp" && chmod 1777 "$root/tmp"
  tar -C "$root" -c . | docker import "${changes[@]}" - "$image" >/dev/null
  echo "image build: built $image ($(du -sh "$root" | cut -f1) root filesystem)" >&2
}

build_python() {
  local image=sluice/fn-python:local py=/usr/bin/python3
  [[ -x "$py" ]] || py="$(command -v python3)"
  py="$(readlink -f "$py")"
  local ver
  ver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  local stdlib
  stdlib="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
  local hash
  hash="$( (cat "$0" "$HERE/python/proxy.py"; "$py" -VV; echo "$py $stdlib") | sha256sum | cut -c1-16)"
  if [[ $FORCE == 0 && "$(current_hash "$image")" == "$hash" ]]; then
    echo "image build: $image is up to date ($hash)" >&2
    return
  fi
  local root="$WORK/python"
  mkdir -p "$root/usr/bin" "$root/proxy"
  copy_file "$root" "$py"
  ln -sf "$(basename "$py")" "$root/usr/bin/python3"
  copy_libs "$root" "$py"
  # The standard library without its tests and IDLE; C extensions need their own libraries.
  mkdir -p "$root$stdlib"
  tar -C "$stdlib" --exclude=./test --exclude=./idlelib --exclude=./tkinter --exclude=./turtledemo \
    --exclude=./site-packages --exclude=./dist-packages -c . | tar -C "$root$stdlib" -x
  local dyn="$stdlib/lib-dynload"
  if [[ -d "$dyn" ]]; then
    copy_libs "$root" "$dyn"/*.so
  fi
  cp "$HERE/python/proxy.py" "$root/proxy/proxy.py"
  import_image "$root" "$image" "$hash" '["/usr/bin/python3", "-u", "/proxy/proxy.py"]' \
    "PYTHONDONTWRITEBYTECODE=1" "PATH=/usr/bin:/bin" "SLUICE_PYTHON=$ver"
}

jackson_jars() {
  local repo="${MAVEN_REPO:-$HOME/.m2/repository}/com/fasterxml/jackson/core" v
  for v in $(ls "$repo/jackson-databind" 2>/dev/null | sort -V -r); do
    local jars=("$repo/jackson-core/$v/jackson-core-$v.jar" "$repo/jackson-databind/$v/jackson-databind-$v.jar"
      "$repo/jackson-annotations/$v/jackson-annotations-$v.jar")
    # jackson-annotations dropped the patch number in 2.20 (2.20 for 2.20.x).
    [[ -f "${jars[2]}" ]] || jars[2]="$(ls "$repo"/jackson-annotations/"${v%.*}"*/jackson-annotations-*.jar 2>/dev/null | sort -V | tail -1)"
    if [[ -f "${jars[0]}" && -f "${jars[1]}" && -f "${jars[2]}" ]]; then
      printf '%s\n' "${jars[@]}"
      return
    fi
  done
  return 1
}

build_java() {
  local image=sluice/fn-java:local
  command -v jlink >/dev/null && command -v javac >/dev/null || {
    echo "image build: $image needs a JDK with jlink and javac" >&2
    return 1
  }
  local jars
  if ! jars="$(jackson_jars)"; then
    echo "image build: $image needs Jackson jars in ~/.m2 (run bin/sluice once, or mvn compile)" >&2
    return 1
  fi
  local hash
  hash="$( (cat "$0" "$HERE/java/ActionProxy.java"; java -version 2>&1; echo "$jars") | sha256sum | cut -c1-16)"
  if [[ $FORCE == 0 && "$(current_hash "$image")" == "$hash" ]]; then
    echo "image build: $image is up to date ($hash)" >&2
    return
  fi
  local root="$WORK/java"
  mkdir -p "$root/proxy/lib"
  jlink --add-modules java.base,java.logging,java.sql,java.desktop,jdk.httpserver,jdk.compiler,jdk.zipfs,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$root/opt/java"
  local j cp=""
  for j in $jars; do
    cp "$j" "$root/proxy/lib/"
    cp="$cp${cp:+:}$j"
  done
  javac -nowarn -d "$root/proxy/classes" -cp "$cp" "$HERE/java/ActionProxy.java"
  copy_libs "$root" "$root/opt/java/bin/java" $(find "$root/opt/java/lib" -name '*.so')
  local lcp="/proxy/classes"
  for j in $jars; do lcp="$lcp:/proxy/lib/$(basename "$j")"; done
  import_image "$root" "$image" "$hash" \
    "[\"/opt/java/bin/java\", \"-Dsun.net.httpserver.nodelay=true\", \"-XX:+UseSerialGC\", \"-XX:TieredStopAtLevel=1\", \"-Xshare:auto\", \"-XX:MaxRAMPercentage=70\", \"-cp\", \"$lcp\", \"ActionProxy\"]" \
    "PATH=/opt/java/bin:/usr/bin:/bin" "JAVA_HOME=/opt/java"
}

for w in "${WHICH[@]}"; do
  "build_$w"
done
