#!/usr/bin/env bash
# As the official image's entrypoint: the first argument chooses server (default) or CLI mode.
set -e
mode=${1:-ksqldb-server}
case $mode in
  ksqldb-server)
    echo "===> Starting KSQLDB in server mode..."
    export COMPONENT=ksqldb-server
    exec /etc/confluent/docker/server/run
    ;;
  ksqldb-cli)
    echo "===> Starting KSQLDB in CLI mode..."
    export COMPONENT=ksqldb-cli
    shift
    exec /etc/confluent/docker/cli/run "$@"
    ;;
  *)
    echo "Error: Unknown mode '$mode'. Valid modes are: ksqldb-server, ksqldb-cli"
    exit 1
    ;;
esac
