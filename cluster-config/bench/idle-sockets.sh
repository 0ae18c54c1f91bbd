#!/usr/bin/env bash
# Idle sockets on one node: N sockets joined to rooms of 5, held M minutes; heap per socket.
# Usage: cluster-config/bench/idle-sockets.sh [sockets=5000] [minutes=10]
exec "$(dirname "$0")/run-java.sh" -Xmx1g io.watchroom.node.bench.IdleSocketsBenchmark "$@"
