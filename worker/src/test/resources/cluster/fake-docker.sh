#!/usr/bin/env bash
# Test stand-in for docker, put on PATH (as `docker`) by ClusterScriptTest. Images are files under
# $FAKE_DOCKER_DIR/HOST/ (HOST is FAKE_SSH_HOST, set by fake-ssh.sh, or "local") holding "ID HASH";
# every call is appended to $FAKE_DOCKER_DIR/calls as "HOST ARGS...". FAKE_DOCKER_DOWN=1: no engine.
# Understands: version, image inspect [-f FORMAT] IMAGE, save IMAGE, load.
side="${FAKE_SSH_HOST:-local}"
store="$FAKE_DOCKER_DIR/$side"
echo "$side $*" >>"$FAKE_DOCKER_DIR/calls"
if [ -n "${FAKE_DOCKER_DOWN:-}" ]; then
  echo "Cannot connect to the Docker daemon" >&2
  exit 1
fi
file() { echo "$store/$(echo "$1" | tr '/:' '__')"; }
case "$1" in
  version) echo 27.0.0 ;;
  image)
    [ "$2" = inspect ] || exit 2
    shift 2
    [ "$1" != -f ] || shift 2
    f="$(file "$1")"
    [ -f "$f" ] || { echo "Error: No such image: $1" >&2; exit 1; }
    cat "$f" ;;
  save)
    f="$(file "$2")"
    [ -f "$f" ] || { echo "Error: No such image: $2" >&2; exit 1; }
    echo "FAKE-IMAGE $2 $(cat "$f")" ;;
  load)
    read -r magic name id hash || exit 1
    [ "$magic" = FAKE-IMAGE ] || { echo "not an image archive" >&2; exit 1; }
    { mkdir -p "$store" && echo "$id $hash" >"$(file "$name")"; } || exit 1
    echo "Loaded image: $name" ;;
  *) echo "fake docker: unknown command $*" >&2; exit 2 ;;
esac
