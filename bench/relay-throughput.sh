#!/usr/bin/env bash
# Relayed frames per second through one relay node, with the devices out of the way: loadgen --ping
# (the bridge answers ping itself) through one relay process to BRIDGES demo bridges, one loadgen
# per bridge, all at once. Prints each loadgen report, then one summary line:
#   frames/s through the relay (client->bridge plus bridge->client, from the relay's own
#   relay_frames_total), and the relay's CPU time per relayed frame (utime+stime from /proc).
#   bench/relay-throughput.sh [connections] [inflight] [count] [bridges]
# PERF_OUT=/tmp/relay.perf also records the relay with perf during the measured run (perf report
# -i /tmp/relay.perf reads it; the relay writes /tmp/perf-<pid>.map for JIT-compiled frames).
# Needs a Release build (dotnet build -c Release DeviceBridge.sln). Everything on 127.0.0.1.
# RELAY_DLL=path/Bridge.Relay.dll runs another build of the relay (e.g. an older commit) for A/B.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-16} INFLIGHT=${2:-256} COUNT=${3:-200000} BRIDGES=${4:-1}
. bench/relay-lib.sh
metric() { curl -s "$HTTP/metrics" | awk -v m="$1" '$1 ~ "^"m {s += $2} END {printf "%d\n", s}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# One token per bridge drives the whole load, so lift the per-token rate that protects real homes.
DOTNET_PerfMapEnabled=${PERF_OUT:+1} dotnet "${RELAY_DLL:-Bridge.Relay/bin/$BIN/Bridge.Relay.dll}" --Relay:Port=0 --Relay:TokenFramesPerSecond=1000000 --Relay:TokenBurst=1000000 \
    >"$WORK/relay.out" 2>"$WORK/relay.err" &
RELAY_PID=$!
PIDS+=($RELAY_PID)
wait_line "$WORK/relay.out" '^Relay: ws://'
RELAY=$(sed -n 's/^Relay: //p' "$WORK/relay.out")
HTTP=${RELAY/ws:/http:}

for b in $(seq 1 "$BRIDGES"); do
    dotnet "Bridge.Service/bin/$BIN/Bridge.Service.dll" --demo --Demo:Lamps=2 --Api:Port=0 --Mqtt:Port=0 \
        --Data:Dir="$WORK/data$b" --Relay:Url="$RELAY" >"$WORK/bridge$b.out" 2>"$WORK/bridge$b.err" &
    PIDS+=($!)
done
for b in $(seq 1 "$BRIDGES"); do wait_line "$WORK/bridge$b.out" '^Relay: connected'; done

run_all() { # warm-up count per bridge; reports go to $WORK/loadgen<b>.json
    local runs=()
    for b in $(seq 1 "$BRIDGES"); do
        local id token
        id=$(sed -n 's/^Bridge id: //p' "$WORK/bridge$b.out")
        token=$(sed -n 's/^Access token: //p' "$WORK/bridge$b.out")
        env "${LOADGEN_ENV[@]}" dotnet "Bridge.Simulator/bin/$BIN/Bridge.Simulator.dll" loadgen --ping --url "$RELAY/api/v1/bridges/$id/ws" \
            --token "$token" --connections "$CONNECTIONS" --inflight "$INFLIGHT" --count "$1" --warmup 0 >"$WORK/loadgen$b.json" &
        runs+=($!)
    done
    for r in "${runs[@]}"; do wait "$r"; done
}

run_all $((COUNT / 10))   # warm-up: JIT, pools, TCP windows
if [[ -n ${PERF_OUT:-} ]]; then perf record -F 499 -g -p "$RELAY_PID" -o "$PERF_OUT" 2>/dev/null & PERF_PID=$!; fi
# Syscalls and context switches of the relay during the measured run (if perf can count them here).
perf stat -x, -e raw_syscalls:sys_enter,context-switches -p "$RELAY_PID" -o "$WORK/perf-stat.csv" 2>/dev/null & STAT_PID=$!
frames0=$(metric relay_frames_total); cpu0=$(cpu_ticks $RELAY_PID); t0=$(date +%s.%N)
run_all "$COUNT"
if [[ -n ${PERF_OUT:-} ]]; then kill -INT "$PERF_PID"; wait "$PERF_PID" || true; fi
kill -INT "$STAT_PID" 2>/dev/null; wait "$STAT_PID" 2>/dev/null || true
t1=$(date +%s.%N); cpu1=$(cpu_ticks $RELAY_PID); frames1=$(metric relay_frames_total)
cat "$WORK"/loadgen*.json
echo "load after the run: $(cat /proc/loadavg)"
awk -v f=$((frames1 - frames0)) -v t0="$t0" -v t1="$t1" -v c=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {
    s = t1 - t0
    printf "relay: %d frames (both directions) in %.2f s = %.0f frames/s; relay CPU %.2f s = %.1f us/frame (%.0f%% of one core)\n",
        f, s, f / s, c / hz, 1e6 * c / hz / f, 100 * c / hz / s }'
awk -F, -v f=$((frames1 - frames0)) '$3 ~ /sys_enter|context-switches/ && $1 ~ /^[0-9]+$/ {
    printf "relay %s: %d = %.2f per frame\n", $3, $1, $1 / f }' "$WORK/perf-stat.csv" 2>/dev/null || true
curl -s "$HTTP/metrics" | grep -E '^relay_frame_residence_seconds_(sum|count)|^relay_slow|^relay_rate' || true
