#!/usr/bin/env bash
# Fan-out benchmark (the Hashrocket WebSocket shootout's broadcast method) against Watchroom, a
# minimal Node `ws` server and a minimal Netty server, one after the other on this machine.
# Usage: cluster-config/bench/broadcast.sh [start=250] [step=250] [max=6000] [samples=100] [servers="watchroom node netty"]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The Node server's one dependency, installed into an ignored folder.
if [ ! -d "$here/.node/node_modules/ws" ]; then
  npm install --silent --no-audit --no-fund --prefix "$here/.node" ws@8.18.0
fi
for server in ${5:-watchroom node netty}; do
  "$here/run-java.sh" -Xmx2g io.watchroom.node.bench.BroadcastBenchmark "$server" "${1:-250}" "${2:-250}" "${3:-6000}" "${4:-100}"
done
