#!/usr/bin/env bash
# Media proxy benchmark, side by side with nginx on loopback.
#
#   1. Cache hits: wrk fetches the segments of an HLS stream, cycling through them, from nginx
#      serving the files and from a Watchroom node proxying that nginx with every segment already
#      cached; rounds alternate between the two. Requests/s and bytes/s, medians, and the ratio.
#   2. Misses: the first byte of a segment nobody fetched yet, through the proxy (which fetches it
#      from nginx) against fetching it from nginx directly, over many distinct cold segments, on
#      kept-alive connections as players make them; and the first byte of the same segments asked
#      again (memory hits), which is what the proxy costs before any upstream fetch.
#
# Usage: cluster-config/bench/proxy.sh [seconds-per-round=10] [rounds=5] [connections=16]
# Needs: nginx, wrk, curl, ffmpeg, python3 (apt-get install nginx-light wrk curl ffmpeg python3).
# SKIP_BUILD=1 reuses cluster-config/target/watchroom.jar.
set -euo pipefail
seconds=${1:-10}
rounds=${2:-5}
connections=${3:-16}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/watchroom-proxy-bench.XXXXXX)
node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$root" && ./mvnw -B -q -DskipTests package)
fi

# --- media: 60 s of 720p at about 3 Mb/s in 2 s fMP4 segments, copied under 11 names -------------
mkdir -p "$work/www/v0"
ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 \
  -f lavfi -i sine=frequency=440:sample_rate=48000 -t 60 \
  -c:v libx264 -preset ultrafast -b:v 3M -maxrate 3M -bufsize 6M -g 60 -keyint_min 60 -sc_threshold 0 \
  -c:a aac -b:a 128k -f hls -hls_time 2 -hls_playlist_type vod -hls_segment_type fmp4 \
  -hls_fmp4_init_filename init.mp4 -hls_segment_filename "$work/www/v0/seg%d.m4s" "$work/www/v0/index.m3u8"
for copy in $(seq 1 10); do cp -r "$work/www/v0" "$work/www/v$copy"; done
chmod -R a+rX "$work"
segments=$(ls "$work/www/v0" | grep -c '\.m4s$')
segment_bytes=$(du -cb "$work"/www/v0/seg*.m4s | tail -1 | cut -f1)

# --- nginx -------------------------------------------------------------------------------------
nginx_port=$(free_port)
mkdir -p "$work/nginx-tmp"
cat > "$work/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log $work/access.log;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { application/vnd.apple.mpegurl m3u8; video/mp4 mp4 m4s; }
  client_body_temp_path $work/nginx-tmp/body;
  proxy_temp_path $work/nginx-tmp/proxy;
  fastcgi_temp_path $work/nginx-tmp/fastcgi;
  uwsgi_temp_path $work/nginx-tmp/uwsgi;
  scgi_temp_path $work/nginx-tmp/scgi;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
EOF
nginx -c "$work/nginx.conf"
upstream="http://127.0.0.1:$nginx_port"

# --- a Watchroom node on embedded defaults, allowed to fetch from loopback ----------------------
node_port=$(free_port)
WATCHROOM_HTTP_PORT=$node_port WATCHROOM_HTTP_INTERFACE=127.0.0.1 WATCHROOM_CLUSTER_PORT=$(free_port) \
  WATCHROOM_DATA_DIR="$work/data" WATCHROOM_FETCH_ALLOW=127.0.0.1/32 \
  java -jar "$root/cluster-config/target/watchroom.jar" > "$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 120); do grep -qs "Watchroom is running" "$work/node.log" && break; sleep 0.5; done
grep -q "Watchroom is running" "$work/node.log" || { cat "$work/node.log"; exit 1; }
node="http://127.0.0.1:$node_port"
token=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"Bench"}' "$node/api/session" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# The proxy paths of every segment of one copy: resolve its playlist and read the rewritten one.
proxy_segments() {
  local stream
  stream=$(curl -sf -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    -d "{\"url\":\"$upstream/$1/index.m3u8\"}" "$node/api/resolve" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["stream"])')
  curl -sf "$node$stream" | grep -v '^#' | grep -v '^$'
}

# --- hits: wrk through a cached proxy against nginx ------------------------------------------------
mapfile -t hot < <(proxy_segments v0)
for path in "${hot[@]}"; do curl -sf -o /dev/null "$node$path"; done
wrk_script() {
  {
    echo 'local paths = {'
    for p in "$@"; do echo "  \"$p\","; done
    echo '}'
    echo 'local i = 0'
    echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
  }
}
wrk_script "${hot[@]}" > "$work/proxy.lua"
direct_paths=()
for ((i = 0; i < segments; i++)); do direct_paths+=("/v0/seg$i.m4s"); done
wrk_script "${direct_paths[@]}" > "$work/nginx.lua"

run_wrk() { # target script -> "requests/s bytes/s"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$2" "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2);
      m = (u=="GB") ? 1073741824 : (u=="MB") ? 1048576 : (u=="KB") ? 1024 : 1; bps=n*m}
    END {printf "%s %.0f\n", rps, bps}'
}
run_wrk "$node" "$work/proxy.lua" > /dev/null   # JIT warm-up, not counted
# --- misses: first byte of cold segments ---------------------------------------------------------
# A request makes the proxy fetch the next 2 segments ahead, so every third segment is still cold.
# Each copy's segments are asked on one kept-alive connection, as a player asks them (curl with
# several URLs); the same for nginx directly, and then the proxy again for the same segments, now
# memory hits. Copies 1 to 6 warm the miss path up (connection pool, JIT) and are not counted.
first_bytes() { # base path... -> one time_starttransfer per URL, all on one connection
  local base=$1; shift
  local args=()
  for p in "$@"; do args+=(-o /dev/null "$base$p"); done
  curl -s -w '%{time_starttransfer}\n' "${args[@]}"
}
: > "$work/miss-proxy"; : > "$work/miss-direct"; : > "$work/hit-first-byte"
for copy in $(seq 1 10); do
  mapfile -t paths < <(proxy_segments "v$copy")
  cold=(); direct=()
  for ((i = 0; i < ${#paths[@]}; i += 3)); do cold+=("${paths[$i]}"); direct+=("/v$copy/seg$i.m4s"); done
  if [ "$copy" -le 6 ]; then
    first_bytes "$node" "${cold[@]}" > /dev/null
    continue
  fi
  first_bytes "$node" "${cold[@]}" >> "$work/miss-proxy"
  first_bytes "$upstream" "${direct[@]}" >> "$work/miss-direct"
  first_bytes "$node" "${cold[@]}" >> "$work/hit-first-byte"
done
miss_proxy=$(median < "$work/miss-proxy")
miss_direct=$(median < "$work/miss-direct")
miss_samples=$(wc -l < "$work/miss-proxy")
hit_first_byte=$(median < "$work/hit-first-byte")

before=$(grep -c 'Watchroom/' "$work/access.log" || true)
: > "$work/hit-proxy"; : > "$work/hit-nginx"
for ((r = 0; r < rounds; r++)); do
  run_wrk "$upstream" "$work/nginx.lua" >> "$work/hit-nginx"
  run_wrk "$node" "$work/proxy.lua" >> "$work/hit-proxy"
done
# The proxy's own fetches carry its User-Agent; wrk's do not.
proxy_fetches=$(( $(grep -c 'Watchroom/' "$work/access.log" || true) - before ))

rps_proxy=$(cut -d' ' -f1 "$work/hit-proxy" | median)
rps_nginx=$(cut -d' ' -f1 "$work/hit-nginx" | median)
bps_proxy=$(cut -d' ' -f2 "$work/hit-proxy" | median)
bps_nginx=$(cut -d' ' -f2 "$work/hit-nginx" | median)

echo "segments: $segments x $(( segment_bytes / segments / 1024 )) KiB average; wrk: 2 threads, $connections connections, $rounds rounds of ${seconds}s each"
echo "hits   nginx: $rps_nginx req/s, $(awk -v b="$bps_nginx" 'BEGIN {printf "%.0f", b/1048576}') MiB/s (per-round req/s: $(cut -d' ' -f1 "$work/hit-nginx" | tr '\n' ' '))"
echo "hits   proxy: $rps_proxy req/s, $(awk -v b="$bps_proxy" 'BEGIN {printf "%.0f", b/1048576}') MiB/s (per-round req/s: $(cut -d' ' -f1 "$work/hit-proxy" | tr '\n' ' '))"
echo "hits   proxy/nginx: $(awk -v p="$rps_proxy" -v n="$rps_nginx" 'BEGIN {printf "%.2f", p/n}')"
echo "hits   upstream fetches by the proxy during the rounds: $proxy_fetches"
echo "misses first byte, median of $miss_samples cold segments: proxy $(awk -v t="$miss_proxy" 'BEGIN {printf "%.1f", t*1000}') ms, direct $(awk -v t="$miss_direct" 'BEGIN {printf "%.1f", t*1000}') ms"
echo "hits   first byte of those segments asked again, median: proxy $(awk -v t="$hit_first_byte" 'BEGIN {printf "%.1f", t*1000}') ms"
