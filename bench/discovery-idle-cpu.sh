#!/usr/bin/env bash
# Idle CPU of the --demo bridge with discovery on and off (issue #3), inside a fresh network
# namespace (loopback with multicast, tools/in-netns.sh), so no multicast reaches a real network.
#
#   bench/discovery-idle-cpu.sh [seconds=60]     # after: dotnet build -c Release DeviceBridge.sln
#
# Prints one line per setting: CPU of one core over the window, after 20 s of settling.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BRIDGE_TEST_NETNS:-}" != 1 ]]; then
    if [[ $(id -u) -eq 0 ]]; then exec unshare -n tools/in-netns.sh "$0" "$@"; else exec unshare -rn tools/in-netns.sh "$0" "$@"; fi
fi
WINDOW=${1:-60}
DLL=Bridge.Service/bin/Release/net10.0/Bridge.Service.dll
HZ=$(getconf CLK_TCK)
for enabled in true false; do
    dir=$(mktemp -d)
    dotnet "$DLL" --demo --Api:Port=0 --Mqtt:Port=0 --Data:Dir="$dir" --Discovery:Enabled=$enabled \
        --Discovery:BeaconPort=0 >"$dir/log" 2>&1 &
    pid=$!
    sleep 20
    t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    sleep "$WINDOW"
    t2=$(awk '{print $14+$15}' "/proc/$pid/stat")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
    echo "Discovery:Enabled=$enabled: $(echo "scale=2; ($t2 - $t1) * 100 / $HZ / $WINDOW" | bc) % of one core over $WINDOW s idle"
done
