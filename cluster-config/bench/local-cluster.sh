#!/usr/bin/env bash
# Starts N Watchroom nodes (default 3) as separate JVMs on free loopback ports against the local
# PostgreSQL, prints each node's addresses, and stops them all on Enter or Ctrl+C.
# Build first: ./mvnw -B -q -DskipTests package
# Usage: cluster-config/bench/local-cluster.sh [nodes=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
export WATCHROOM_DB_URL="${WATCHROOM_DB_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
export WATCHROOM_DB_USER="${WATCHROOM_DB_USER:-postgres}"
export WATCHROOM_DB_SCHEMA="${WATCHROOM_DB_SCHEMA:-watchroom_local}"
jar=cluster-config/target/watchroom.jar
[ -f "$jar" ] || { echo "Build first: ./mvnw -B -q -DskipTests package" >&2; exit 1; }
exec java -jar "$jar" local-cluster "${1:-3}"
