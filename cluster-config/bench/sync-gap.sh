#!/usr/bin/env bash
# Sync benchmark: N headless Chromium clients in one room for S seconds of steady play.
# Usage: cluster-config/bench/sync-gap.sh [clients=3] [seconds=120]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
cd cluster-config
classpath="$(../mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 exec java -Dlogback.configurationFile=logback-test.xml -cp "target/test-classes:target/classes:${classpath}" \
  io.watchroom.node.SyncGapBenchmark "$@"
