#!/usr/bin/env bash
# Relay overhead: the same load generator against the same demo bridge, first on the local API,
# then through a relay on loopback. Prints both loadgen reports.
#   bench/relay-overhead.sh [connections] [inflight] [count] [lamps]
# Needs a Release build (dotnet build -c Release DeviceBridge.sln). Everything on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-1} INFLIGHT=${2:-1} COUNT=${3:-20000} LAMPS=${4:-20}
BIN=Release/net10.0
. bench/relay-lib.sh

# One token drives the whole load here, so lift the per-token rate that protects real homes.
dotnet "Bridge.Relay/bin/$BIN/Bridge.Relay.dll" --Relay:Port=0 --Relay:TokenFramesPerSecond=1000000 --Relay:TokenBurst=1000000 >"$WORK/relay.out" 2>"$WORK/relay.err" &
PIDS+=($!)
wait_line "$WORK/relay.out" '^Relay: ws://'
RELAY=$(sed -n 's/^Relay: //p' "$WORK/relay.out")

dotnet "Bridge.Service/bin/$BIN/Bridge.Service.dll" --demo --Demo:Lamps="$LAMPS" --Api:Port=0 --Mqtt:Port=0 \
    --Data:Dir="$WORK/data" --Relay:Url="$RELAY" >"$WORK/bridge.out" 2>"$WORK/bridge.err" &
PIDS+=($!)
wait_line "$WORK/bridge.out" '^Relay: connected'
LOCAL=$(sed -n 's/^Local API: //p' "$WORK/bridge.out")
TOKEN=$(sed -n 's/^Access token: //p' "$WORK/bridge.out")
ID=$(sed -n 's/^Bridge id: //p' "$WORK/bridge.out")

run() { dotnet "Bridge.Simulator/bin/$BIN/Bridge.Simulator.dll" loadgen --url "$1" --token "$TOKEN" \
        --connections "$CONNECTIONS" --inflight "$INFLIGHT" --count "$COUNT"; }
echo "== local API: $LOCAL"
run "$LOCAL"
echo "== through the relay: $RELAY/api/v1/bridges/$ID/ws"
run "$RELAY/api/v1/bridges/$ID/ws"
echo "== again local"
run "$LOCAL"
echo "== again relayed"
run "$RELAY/api/v1/bridges/$ID/ws"
