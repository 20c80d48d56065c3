#!/usr/bin/env bash
# Cross-node overhead on Redis: the same load generator against the same demo bridge, on its local
# API, through the relay node it is linked to (same node), and through another node of the same
# relay (cross-node: client on node 1, bridge on node 2, frames over Redis pub/sub). Alternates the
# three twice and prints every loadgen report.
#   bench/relay-redis-overhead.sh [connections] [inflight] [count] [lamps]
# Needs a Release build (dotnet build -c Release DeviceBridge.sln) and redis-server (test.sh
# installs it). Everything on 127.0.0.1; the Redis server is started here on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-1} INFLIGHT=${2:-1} COUNT=${3:-20000} LAMPS=${4:-20}
. bench/relay-lib.sh

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.out" 2>&1 &
PIDS+=($!)
wait_line "$WORK/redis.out" 'Ready to accept connections'

start_relay node1 --Relay:Redis="127.0.0.1:$REDIS_PORT"
start_relay node2 --Relay:Redis="127.0.0.1:$REDIS_PORT"
NODE1=$(cat "$WORK/node1.url")
NODE2=$(cat "$WORK/node2.url")
start_bridge "$NODE2"

run() { env "${LOADGEN_ENV[@]}" dotnet "Bridge.Simulator/bin/$BIN/Bridge.Simulator.dll" loadgen --url "$1" --token "$TOKEN" \
        --connections "$CONNECTIONS" --inflight "$INFLIGHT" --count "$COUNT"; }
for round in 1 2; do
    echo "== round $round, local API: $LOCAL"
    run "$LOCAL"
    echo "== round $round, same node (the bridge's): $NODE2/api/v1/bridges/$ID/ws"
    run "$NODE2/api/v1/bridges/$ID/ws"
    echo "== round $round, cross-node (client on node 1, bridge on node 2): $NODE1/api/v1/bridges/$ID/ws"
    run "$NODE1/api/v1/bridges/$ID/ws"
done
echo "== node 1 backplane metrics"
curl -s "${NODE1/ws:/http:}/metrics" | grep '^relay_backplane_' || true
