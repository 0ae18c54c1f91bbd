#!/usr/bin/env bash
# Failover benchmark: three node JVMs on the local PostgreSQL; kill -9 the node hosting the most
# rooms, measure until its rooms serve again, restart it; repeated for N rounds (default 20).
# Usage: cluster-config/bench/failover.sh [rounds=20]
exec "$(dirname "$0")/run-java.sh" io.watchroom.node.FailoverBenchmark "${1:-20}"
