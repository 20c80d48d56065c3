#!/usr/bin/env bash
# Start-up time of the demo bridge: from launching the process to its "Local API:" line, N times.
#
#   unshare -n tools/in-netns.sh bench/startup.sh [--dll PATH] [--runs N] [NAME=VALUE ...]
#
# --dll: the Bridge.Service.dll to start (default: the Release build; give a published one, e.g.
# `dotnet publish Bridge.Service -c Release -r linux-x64 --self-contained false -o /tmp/r2r`, to time
# the bridge as installed, and add the DOTNET_ lines of configs/systemd/devicebridge.service).
# NAME=VALUE: extra environment (runtime knobs to compare). Prints one line per run, in seconds.
# Only inside a network namespace of its own (the bridge announces itself by multicast).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
DLL=$ROOT/Bridge.Service/bin/Release/net10.0/Bridge.Service.dll
RUNS=3
while (($#)); do
    case "$1" in
        --dll) DLL=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        *=*) break ;;
        *) echo "startup: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
[[ -f $DLL ]] || { echo "startup: no $DLL (dotnet build -c Release first)" >&2; exit 1; }
pid=
data=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; [[ -n $data ]] && rm -rf "$data"; true' EXIT
for ((i = 1; i <= RUNS; i++)); do
    data=$(mktemp -d /tmp/devicebridge-startup.XXXXXX)
    start=$(date +%s%N)
    env "$@" dotnet "$DLL" --demo --Api:Bind=127.0.0.1 --Api:Port=0 --Mqtt:Bind=127.0.0.1 --Mqtt:Port=0 --Data:Dir="$data" >"$data/log" 2>&1 &
    pid=$!
    # Polling the log every 10 ms: the figure is a second or so, the resolution 1 % of it.
    for ((t = 0; t < 6000; t++)); do
        grep -q "^Local API:" "$data/log" && break
        kill -0 "$pid" 2>/dev/null || { echo "startup: the bridge exited" >&2; tail -5 "$data/log" >&2; exit 1; }
        sleep 0.01
    done
    grep -q "^Local API:" "$data/log" || { echo "startup: no 'Local API:' within 60 s" >&2; exit 1; }
    end=$(date +%s%N)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
    printf 'run %d: %.2f s to "Local API:"%s\n' "$i" "$(echo "($end - $start) / 1000000000" | bc -l)" "${*:+ with $*}"
    rm -rf "$data"
    data=
done
