#!/usr/bin/env bash
# Installs the Node.js programs some integration tests run as the other side of a remote runtime,
# at pinned versions, into one folder, and prints the variable the tests read:
#
#   scripts/npm-tools.sh DIR      installs (once) into DIR/node_modules and prints
#                                 `export SLUICE_NODE_TOOLS=DIR/node_modules`
#
#   @google-cloud/functions-framework  Google's functions framework: HTTP and CloudEvent functions
#                                      (the `http` runtime's tests)
#   serverless + serverless-offline    a local Lambda Invoke API for Node.js handlers
#                                      (the `aws-lambda` runtime's tests)
#
# Node.js and npm are installed with apt-get when missing. A second call with the same versions
# does nothing but print the line. SLUICE_NPM=0 skips everything (the tests that need these then
# skip, or fail under CI=true). Nothing here starts a server: each test starts the program it needs
# on a free port and stops it by its pid.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
[[ "${SLUICE_NPM:-1}" == "0" ]] && exit 0
dir="$1"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

packages=(
  "@google-cloud/functions-framework@5.0.5"
  "serverless@3.40.0"
  "serverless-offline@13.9.0"
)
stamp="$dir/.installed"
want="${packages[*]}"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "npm-tools: node/npm not found and no apt-get to install them; the tests that need" \
      "them will fail under CI=true" >&2
    exit 0
  fi
  echo "npm-tools: node/npm not found, installing nodejs and npm with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq nodejs npm >/dev/null || {
    echo "npm-tools: could not install nodejs/npm" >&2
    exit 0
  }
fi

if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "npm-tools: installing ${packages[*]} into $dir" >&2
  if ! npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error \
    "${packages[@]}" >"$dir/npm-install.log" 2>&1; then
    echo "npm-tools: npm install failed (see $dir/npm-install.log); the tests that need these" \
      "programs will fail under CI=true" >&2
    exit 0
  fi
  echo "$want" >"$stamp"
fi
echo "export SLUICE_NODE_TOOLS=$dir/node_modules"
