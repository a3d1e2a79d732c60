#!/usr/bin/env bash
# Test stand-in for ssh, used by ClusterScriptTest through SLUICE_SSH: `fake-ssh.sh HOST COMMAND`
# runs COMMAND on this machine, so cluster.sh's remote-host path runs without an ssh server.
# FAKE_SSH_HOST tells the commands which "host" they run on (fake-docker.sh keeps one store each).
export FAKE_SSH_HOST="$1"
shift
exec bash -c "$*"
