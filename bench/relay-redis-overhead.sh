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
BIN=Release/net10.0
. bench/relay-lib.sh

REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.out" 2>&1 &
PIDS+=($!)
wait_line "$WORK/redis.out" 'Ready to accept connections'

node() { # name
    # One token drives the whole load here, so lift the per-token rate that protects real homes.
    dotnet "Bridge.Relay/bin/$BIN/Bridge.Relay.dll" --Relay:Port=0 --Relay:Redis="127.0.0.1:$REDIS_PORT" \
        --Relay:TokenFramesPerSecond=1000000 --Relay:TokenBurst=1000000 >"$WORK/$1.out" 2>"$WORK/$1.err" &
    PIDS+=($!)
    wait_line "$WORK/$1.out" '^Relay: ws://'
}
node node1
node node2
NODE1=$(sed -n 's/^Relay: //p' "$WORK/node1.out")
NODE2=$(sed -n 's/^Relay: //p' "$WORK/node2.out")

dotnet "Bridge.Service/bin/$BIN/Bridge.Service.dll" --demo --Demo:Lamps="$LAMPS" --Api:Port=0 --Mqtt:Port=0 \
    --Data:Dir="$WORK/data" --Relay:Url="$NODE2" >"$WORK/bridge.out" 2>"$WORK/bridge.err" &
PIDS+=($!)
wait_line "$WORK/bridge.out" '^Relay: connected'
LOCAL=$(sed -n 's/^Local API: //p' "$WORK/bridge.out")
TOKEN=$(sed -n 's/^Access token: //p' "$WORK/bridge.out")
ID=$(sed -n 's/^Bridge id: //p' "$WORK/bridge.out")

run() { dotnet "Bridge.Simulator/bin/$BIN/Bridge.Simulator.dll" loadgen --url "$1" --token "$TOKEN" \
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
