#!/usr/bin/env bash
# Builds the project and runs a class from cluster-config's test sources (the benchmarks) with
# the test classpath. Used by the other scripts here.
# Usage: cluster-config/bench/run-java.sh [JVM options...] CLASS [args...]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -DskipTests install
cd cluster-config
classpath="$(../mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
jvm=()
while [ $# -gt 0 ] && [[ "$1" == -* ]]; do jvm+=("$1"); shift; done
exec java "${jvm[@]}" -Dlogback.configurationFile=logback-test.xml \
  -cp "target/test-classes:target/classes:${classpath}" "$@"
