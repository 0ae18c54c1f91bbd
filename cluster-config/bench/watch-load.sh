#!/usr/bin/env bash
# Watch-together load on one node: rooms of 5, each member one persisted action per second
# (PostgreSQL); clients grow in steps until p99 passes 50 ms or anything is lost.
# Usage: cluster-config/bench/watch-load.sh [start=100] [step=100] [max=3000] [seconds=30] [db=postgres|h2]
exec "$(dirname "$0")/run-java.sh" -Xmx1g io.watchroom.node.bench.WatchLoadBenchmark "$@"
