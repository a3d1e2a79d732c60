#!/usr/bin/env bash
# Test stand-in for ssh, used by ClusterScriptTest through SLUICE_SSH: `fake-ssh.sh HOST COMMAND`
# runs COMMAND on this machine, so cluster.sh's remote-host path runs without an ssh server.
shift
exec bash -c "$*"
