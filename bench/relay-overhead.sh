#!/usr/bin/env bash
# Relay overhead: the same load generator against the same demo bridge, first on the local API,
# then through a relay on loopback. Prints both loadgen reports.
#   bench/relay-overhead.sh [connections] [inflight] [count] [lamps]
# Needs a Release build (dotnet build -c Release DeviceBridge.sln). Everything on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-1} INFLIGHT=${2:-1} COUNT=${3:-20000} LAMPS=${4:-20}
. bench/relay-lib.sh

start_relay relay
RELAY=$(cat "$WORK/relay.url")
start_bridge "$RELAY"

run() { env "${LOADGEN_ENV[@]}" dotnet "Bridge.Simulator/bin/$BIN/Bridge.Simulator.dll" loadgen --url "$1" --token "$TOKEN" \
        --connections "$CONNECTIONS" --inflight "$INFLIGHT" --count "$COUNT"; }
echo "== local API: $LOCAL"
run "$LOCAL"
echo "== through the relay: $RELAY/api/v1/bridges/$ID/ws"
run "$RELAY/api/v1/bridges/$ID/ws"
echo "== again local"
run "$LOCAL"
echo "== again relayed"
run "$RELAY/api/v1/bridges/$ID/ws"
