#!/usr/bin/env bash
# Single-process ladder vs one ffmpeg run per rung (PeerTube's way), same input and LadderPlan
# settings, plus the cost of poster + sprites. Prints one Markdown row for docs/benchmarks.md.
#   transcoding/bench/ladder.sh [seconds=30] [runs=3] [size=1920x1080]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl transcoding -am install -DskipTests >/dev/null
./mvnw -B -q -pl transcoding exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.watchroom.transcoding.LadderBenchmark \
  -Dexec.args="${1:-30} ${2:-3} ${3:-1920x1080}"
