#!/usr/bin/env bash
# Issue #3: how soon the bridge finds N Yeelight bulbs, and its idle CPU with them connected.
# Runs inside a fresh network namespace (loopback with multicast, tools/in-netns.sh), so the
# multicast search on 239.255.255.250:1982 never reaches a real network.
#
#   bench/yeelight-discovery.sh [bulbs=20] [idle-seconds=60]   # after: dotnet build -c Release DeviceBridge.sln
#
# 1. Starts the simulator out of process: `devices --bulbs N --yeelight-multicast` (real port 1982).
# 2. Starts the bridge (no demo, loopback only) and times, from its launch, until the log says every
#    bulb is online (found by the multicast search, connected on TCP, state read by get_prop).
# 3. Lets it idle and prints the bridge's CPU over the window (utime+stime from /proc).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BRIDGE_TEST_NETNS:-}" != 1 ]]; then
    if [[ $(id -u) -eq 0 ]]; then exec unshare -n tools/in-netns.sh "$0" "$@"; else exec unshare -rn tools/in-netns.sh "$0" "$@"; fi
fi
BULBS=${1:-20}
WINDOW=${2:-60}
BRIDGE=Bridge.Service/bin/Release/net10.0/Bridge.Service.dll
SIM=Bridge.Simulator/bin/Release/net10.0/Bridge.Simulator.dll
HZ=$(getconf CLK_TCK)
dir=$(mktemp -d)
cleanup() {
    [[ -n "${bridge:-}" ]] && kill "$bridge" 2>/dev/null || true
    [[ -n "${sim:-}" ]] && kill "$sim" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT

dotnet "$SIM" devices --bulbs "$BULBS" --yeelight-multicast >"$dir/sim.log" 2>&1 &
sim=$!
for _ in $(seq 600); do grep -q "devices connected" "$dir/sim.log" && break; sleep 0.1; done
grep -q "devices connected" "$dir/sim.log" || { echo "simulator did not start:"; cat "$dir/sim.log"; exit 1; }

start=$(date +%s%N)
dotnet "$BRIDGE" --Api:Bind=127.0.0.1 --Api:Port=0 --Mqtt:Bind=127.0.0.1 --Mqtt:Port=0 --Data:Dir="$dir/data" \
    --Discovery:BeaconPort=0 >"$dir/bridge.log" 2>&1 &
bridge=$!
ready=""
while :; do
    now=$(date +%s%N)
    [[ -z "$ready" ]] && grep -q "Local API:" "$dir/bridge.log" && ready=$(( (now - start) / 1000000 ))
    online=$(grep -c "Device yeelight-.* is online" "$dir/bridge.log" || true)
    (( online >= BULBS )) && break
    if (( now - start > 30000000000 )); then echo "only $online of $BULBS bulbs online after 30 s"; tail -20 "$dir/bridge.log"; exit 1; fi
    sleep 0.02
done
found=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$BULBS Yeelight bulbs online ${found} ms after the bridge process was launched (Local API ready after ${ready:-?} ms; 20 ms polling)"

sleep 20
t1=$(awk '{print $14+$15}' "/proc/$bridge/stat")
sleep "$WINDOW"
t2=$(awk '{print $14+$15}' "/proc/$bridge/stat")
echo "idle bridge with $BULBS Yeelight bulbs connected: $(echo "scale=2; ($t2 - $t1) * 100 / $HZ / $WINDOW" | bc) % of one core over $WINDOW s"
