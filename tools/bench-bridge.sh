#!/usr/bin/env bash
# Benchmarks the bridge with its embedded broker and an out-of-process simulated home of N
# Tasmota lamps, driven by the project's load generator. Prints one line per scenario with the
# load generator's figures and the CPU time the bridge and the simulator spent per command
# (utime+stime from /proc, warm-up included in the count), then the bridge's RSS.
#
#   tools/bench-bridge.sh [CONNSxINFLIGHTxCOUNT ...]      e.g. 1x1x5000 10x100x50000 scene
#   LAMPS=100 (default) sets the home's size; PRIME=20000 the unmeasured warm-up commands.
#   ACCOUNTS=on (default): each lamp connects with a broker account of its own, confined to its own
#   topics (the bridge's default); ACCOUNTS=off: Mqtt:AllowAnonymous=true and lamps without accounts.
# Everything runs on loopback; every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/loadgen-env.sh
. bench/loadgen-env.sh
LAMPS=${LAMPS:-100}
[[ $# -gt 0 ]] || set -- 1x1x5000 10x100x50000 scene
BRIDGE=Bridge.Service/bin/Release/net10.0/Bridge.Service.dll
SIM=Bridge.Simulator/bin/Release/net10.0/Bridge.Simulator.dll
[[ -f $BRIDGE && -f $SIM ]] || dotnet build -c Release DeviceBridge.sln >/dev/null

DIR=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # file pattern seconds
    for _ in $(seq $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1
}
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

PORT=$(free_port)
TOKEN=$(dotnet $BRIDGE token --name bench --scope control --Data:Dir="$DIR")
BROKER_ARGS=(--Mqtt:AllowAnonymous=true)
SIM_ARGS=()
if [[ ${ACCOUNTS:-on} == on ]]; then
    # One account by hand per lamp (Mqtt:Accounts, with Tasmota's rights), its password in a file of its own.
    BROKER_ARGS=()
    mkdir -m 700 "$DIR/accounts"
    for i in $(seq "$LAMPS"); do
        (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$DIR/accounts/lamp-$i")
        export "BRIDGE__Mqtt__Accounts__${i}__Username=lamp-$i" "BRIDGE__Mqtt__Accounts__${i}__PasswordFile=$DIR/accounts/lamp-$i" \
            "BRIDGE__Mqtt__Accounts__${i}__Protocol=tasmota" "BRIDGE__Mqtt__Accounts__${i}__Device=lamp-$i" \
            "BRIDGE__Mqtt__Accounts__${i}__Mac=$(printf '02DB%08X' "$i")"
    done
    SIM_ARGS=(--accounts "$DIR/accounts")
fi
dotnet $BRIDGE --Api:Bind=127.0.0.1 --Api:Port=0 --Mqtt:Bind=127.0.0.1 --Mqtt:Port="$PORT" --Data:Dir="$DIR" "${BROKER_ARGS[@]}" >"$DIR/bridge.log" 2>&1 &
BRIDGE_PID=$!; PIDS+=($BRIDGE_PID)
wait_for "$DIR/bridge.log" "Local API" 30
dotnet $SIM devices --mqtt "mqtt://127.0.0.1:$PORT" --lamps "$LAMPS" "${SIM_ARGS[@]}" >"$DIR/sim.log" 2>&1 &
SIM_PID=$!; PIDS+=($SIM_PID)
wait_for "$DIR/sim.log" "devices connected" 60
URL=$(grep -oP 'Local API: \K\S+' "$DIR/bridge.log")
# The bridge has found the home once it has logged every lamp online.
for _ in $(seq 300); do
    (( $(grep -c ' is online' "$DIR/bridge.log") >= LAMPS )) && break
    sleep 0.1
done
TICK=$(getconf CLK_TCK)
# Prime both processes (JIT tiering) with unmeasured runs, as a long-running bridge would be.
env "${LOADGEN_ENV[@]}" dotnet $SIM loadgen --url "$URL" --token "$TOKEN" --connections 10 --inflight 100 --count "${PRIME:-20000}" >/dev/null
env "${LOADGEN_ENV[@]}" dotnet $SIM loadgen --url "$URL" --token "$TOKEN" --connections 1 --inflight 1 --count 2000 >/dev/null

for spec in "$@"; do
    b0=$(cpu_ticks $BRIDGE_PID); s0=$(cpu_ticks $SIM_PID)
    if [[ $spec == scene ]]; then
        RESULT=$(env "${LOADGEN_ENV[@]}" dotnet $SIM loadgen --url "$URL" --token "$TOKEN" --scene)
    else
        IFS=x read -r C F N <<<"$spec"
        RESULT=$(env "${LOADGEN_ENV[@]}" dotnet $SIM loadgen --url "$URL" --token "$TOKEN" --connections "$C" --inflight "$F" --count "$N")
    fi
    b1=$(cpu_ticks $BRIDGE_PID); s1=$(cpu_ticks $SIM_PID)
    python3 - "$spec" "$RESULT" "$((b1 - b0))" "$((s1 - s0))" "$TICK" <<'PY'
import json, sys
spec, raw, bridge, sim, tick = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
n = raw.get("count", raw.get("scene_devices", 0)) + raw.get("warmup", 0)
per = lambda ticks: ticks * 1e6 / tick / max(n, 1)
raw.update(scenario=spec, bridge_cpu_us_per_cmd=round(per(bridge), 1), sim_cpu_us_per_cmd=round(per(sim), 1))
print(json.dumps(raw))
PY
done
echo "{\"bridge_rss_kb\": $(awk '/VmRSS/ {print $2}' /proc/$BRIDGE_PID/status), \"lamps\": $LAMPS, \"accounts\": \"${ACCOUNTS:-on}\"}"
