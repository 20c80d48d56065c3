#!/usr/bin/env bash
# Where a fresh bridge's CPU goes in its first 10×100 runs (issue #9, "cold within 20 % of
# warm"): per-thread CPU from /proc/<pid>/task, summed by thread name, over each run.
#
#   unshare -n tools/in-netns.sh bench/cold-threads.sh [--runs 2] [--count 30000] [path/to/Bridge.Service.dll]
#
# --runs N: that many 10×100 runs of --count commands each, one after another (each opens 10 new
# connections: code that runs once per connection tiers up at the 30th and 60th, which shows as
# the JIT's CPU in those runs).
#
# Starts a private Mosquitto, 10 Node.js Tasmota lamps (bench/node-red/lamp.js) and the bridge;
# needs a Release build (dotnet build -c Release) and bench/node-red/node_modules (npm ci there).
# Only inside a network namespace of its own (the bridge announces itself by multicast).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BENCH=$ROOT/bench/node-red
RUNS=2
COUNT=30000
while (($#)); do
    case "$1" in
        --runs) RUNS=$2; shift ;;
        --count) COUNT=$2; shift ;;
        -*) echo "cold-threads: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
    shift
done
DLL=${1:-$ROOT/Bridge.Service/bin/Release/net10.0/Bridge.Service.dll}
SIM=$ROOT/Bridge.Simulator/bin/Release/net10.0/Bridge.Simulator.dll
WORK=$(mktemp -d /tmp/devicebridge-cold-threads.XXXXXX)
PIDS=()
log() { echo "cold-threads: $*" >&2; }
die() { log "$*"; exit 1; }
# shellcheck source=bench/node-red/harness.sh
. "$BENCH/harness.sh"
# shellcheck source=bench/loadgen-env.sh
. "$ROOT/bench/loadgen-env.sh"
trap cleanup EXIT

# "<tid>/<thread name> <utime+stime ticks>" per thread of one process, sorted for join
threads_cpu() {
    local t stat f
    for t in /proc/"$1"/task/*; do
        stat=$(cat "$t/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        read -r -a f <<<"$stat"
        echo "${t##*/}/$(tr ' ' _ <"$t/comm") $((f[11] + f[12]))"
    done | LC_ALL=C sort
}

start_broker_and_lamps 10
API_PORT=$(free_port)
TOKEN=$(dotnet "$DLL" token --name bench --Data:Dir="$WORK/data")
dotnet "$DLL" --Mqtt:Url="mqtt://127.0.0.1:$MQTT_PORT" --Api:Bind=127.0.0.1 --Api:Port="$API_PORT" --Data:Dir="$WORK/data" >"$WORK/bridge.log" 2>&1 &
BRIDGE=$!
PIDS+=("$BRIDGE")
wait_for_line "$WORK/bridge.log" "^Local API: ws://" 60 "$BRIDGE" >/dev/null || die "the bridge did not start"
URL=ws://127.0.0.1:$API_PORT/api/v1/ws
node "$BENCH/wait-devices.js" --url "$URL" --token "$TOKEN" --count 10 --timeout 60 >/dev/null
for ((run = 1; run <= RUNS; run++)); do
    threads_cpu "$BRIDGE" >"$WORK/before"
    rate=$(env "${LOADGEN_ENV[@]}" dotnet "$SIM" loadgen --url "$URL" --token "$TOKEN" --connections 10 --inflight 100 --count "$COUNT" --per-device 100 --warmup 500 |
        tail -1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["commands_per_s"])')
    threads_cpu "$BRIDGE" >"$WORK/after"
    echo "run $run (10×100 × $COUNT): $rate commands/s; CPU by thread:"
    # Per thread id: a thread that began during the run counts from 0 (the JIT's worker ends when
    # idle and a new one starts with the next burst); one that ended during it is not counted.
    LC_ALL=C join -a2 -e0 -o 0,1.2,2.2 "$WORK/before" "$WORK/after" | awk -v hz="$(getconf CLK_TCK)" '$3 > $2 {split($1, n, "/"); cpu[n[2]] += $3 - $2}
        END {for (k in cpu) printf "  %-30s %5.2f s\n", k, cpu[k] / hz}' | sort -k2 -nr | head -6
done
